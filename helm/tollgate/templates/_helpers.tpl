{{/* The chart's name, overridable. */}}
{{- define "tollgate.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Base of every object name: the release, with the chart name when the release does not already say it. */}}
{{- define "tollgate.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "tollgate.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "tollgate.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* The operator's Deployment, ServiceAccount, RBAC and PDB share this name. */}}
{{- define "tollgate.operatorName" -}}
{{- printf "%s-operator" (include "tollgate.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tollgate.metricsServiceName" -}}
{{- printf "%s-operator-metrics" (include "tollgate.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tollgate.serviceAccountName" -}}
{{- default (include "tollgate.operatorName" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "tollgate.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "tollgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tollgate
{{- end }}

{{/* Selects the operator's pods; never changes across upgrades (a Deployment's selector is immutable). */}}
{{- define "tollgate.operatorSelectorLabels" -}}
app.kubernetes.io/name: {{ include "tollgate.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "tollgate.operatorLabels" -}}
{{ include "tollgate.labels" . }}
app.kubernetes.io/component: operator
{{- end }}

{{/* repository:tag, the tag defaulting to the chart's appVersion. */}}
{{- define "tollgate.image" -}}
{{- $image := index . 0 }}{{ $root := index . 1 -}}
{{- printf "%s:%s" $image.repository (default $root.Chart.AppVersion $image.tag) }}
{{- end }}

{{/* Issuer and Certificate names in cert-manager mode. */}}
{{- define "tollgate.servingCertificateName" -}}
{{- printf "%s-operator-serving" (include "tollgate.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tollgate.caName" -}}
{{- printf "%s-operator-ca" (include "tollgate.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "tollgate.pricesConfigMapName" -}}
{{- printf "%s-prices" (include "tollgate.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The price catalog file the operator reads: the same row shape as an AIRoute's spec.pricing. */}}
{{- define "tollgate.pricesFile" -}}
{{ dict "pricing" .Values.priceCatalog | toYaml }}
{{- end }}

{{/*
The namespaces the webhook never sees: the release's own (the operator must start without
itself) and the configured ones.
*/}}
{{- define "tollgate.webhookExcludedNamespaces" -}}
- key: kubernetes.io/metadata.name
  operator: NotIn
  values:
    {{- toYaml (uniq (prepend .Values.webhook.excludeNamespaces .Release.Namespace)) | nindent 4 }}
{{- end }}
