package dev.tollgate.operator.certs;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The serving key and certificate for TLS handshakes, replaceable while servers run: a rotated
 * certificate is used from the next handshake on, without restarting a listener.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final char[] NO_PASSWORD = new char[0];
    private final AtomicReference<X509ExtendedKeyManager> current = new AtomicReference<>();
    /**
     * A handshake picks an alias, then asks for its chain and key: each certificate gets its own
     * alias, and the one replaced last stays reachable, so a handshake during a swap never mixes them.
     */
    private final AtomicReference<X509ExtendedKeyManager> previous = new AtomicReference<>();
    private final AtomicLong generation = new AtomicLong();

    void use(TlsMaterial material) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("serving-" + generation.incrementAndGet(), Pem.privateKey(material.tlsKey()), NO_PASSWORD,
                    Pem.certificates(material.tlsCrt()).toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, NO_PASSWORD);
            previous.set(current.getAndSet((X509ExtendedKeyManager) factory.getKeyManagers()[0]));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot use the serving certificate: " + e.getMessage(), e);
        }
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return current.get().getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return current.get().chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return current.get().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current.get().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current.get().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        X509Certificate[] chain = current.get().getCertificateChain(alias);
        return chain != null || previous.get() == null ? chain : previous.get().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        PrivateKey key = current.get().getPrivateKey(alias);
        return key != null || previous.get() == null ? key : previous.get().getPrivateKey(alias);
    }
}
