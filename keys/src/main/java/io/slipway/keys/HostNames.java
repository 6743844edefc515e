package io.slipway.keys;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** The DNS names a certificate covers (its subject alternative names), and whether one covers a host: the same rule where certificates are accepted (controller) and chosen by SNI (router). */
public final class HostNames {
    private static final int DNS_NAME = 2;

    private HostNames() {}

    public static List<String> of(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.get(0) instanceof Integer type && type == DNS_NAME) {
                        names.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no names: covers nothing
        }
        return names;
    }

    /** RFC 6125: a name matches exactly, or a {@code *.} name matches exactly one more label on the left. */
    public static boolean covers(List<String> names, String host) {
        for (String n : names) {
            if (n.equals(host)) {
                return true;
            }
            if (n.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot + 1).equals(n.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }
}
