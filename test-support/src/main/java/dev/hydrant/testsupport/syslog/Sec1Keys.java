package dev.hydrant.testsupport.syslog;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * An EC key as OpenSSL writes it in SEC1 ("EC PRIVATE KEY", with its curve and public point). GnuTLS 3.7
 * (Debian 12's rsyslog) cannot read the JDK's PKCS#8 EC key, which leaves the public point out
 * ("ASN1 parser: Element was not found").
 */
public final class Sec1Keys {

    private Sec1Keys() {
    }

    public static String pem(ECPrivateKey key, PublicKey publicKey) {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        byte[] point = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData().getBytes();
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(key.getParams().getOrder().bitLength(), key.getS(),
                new DERBitString(point), info.getPrivateKeyAlgorithm().getParameters());
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(sec1.getEncoded());
            return "-----BEGIN EC PRIVATE KEY-----\n" + body + "\n-----END EC PRIVATE KEY-----\n";
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
