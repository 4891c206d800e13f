{{/*
The `helm test` Pod: the operator answers /readyz (caches synced, control API and webhook
listening) through its metrics Service, as Prometheus reaches it. A named template so the
chart's tests can render it: `helm template` leaves hooks out.
*/}}
{{- define "tollgate.testOperatorReadyPod" -}}
apiVersion: v1
kind: Pod
metadata:
  name: {{ printf "%s-test-operator-ready" (include "tollgate.fullname" .) }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "tollgate.labels" . | nindent 4 }}
    app.kubernetes.io/component: test
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  {{- with .Values.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  securityContext:
    runAsNonRoot: true
    runAsUser: 65532
    runAsGroup: 65532
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: readyz
      image: {{ include "tollgate.image" (list .Values.test.image .) }}
      command: ["curl"]
      args:
        - --fail
        - --show-error
        - --silent
        - --max-time
        - "5"
        - --retry
        - "10"
        - --retry-connrefused
        - --retry-delay
        - "3"
        - {{ printf "http://%s.%s.svc:%d/readyz" (include "tollgate.metricsServiceName" .) .Release.Namespace (int .Values.operator.ports.health) }}
      resources:
        requests:
          cpu: 10m
          memory: 16Mi
        limits:
          memory: 32Mi
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
{{- end }}
