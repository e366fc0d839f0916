package io.tlswatch.store.domain;

import io.tlswatch.store.config.StoreConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code _smtp._tls} TXT record a domain publishes so that senders report to this deployment
 * (RFC 8460 §3), built from where report-ingest is reachable: its public URL and mail address.
 */
public record TlsRptRecord(String name, String type, String value) {

    /** The record for {@code domain}, or null when neither a public URL nor a mail address is configured. */
    public static TlsRptRecord forDomain(String domain, StoreConfig.Ingest ingest) {
        List<String> rua = new ArrayList<>();
        ingest.publicUrl().filter(u -> !u.isBlank())
                .ifPresent(url -> rua.add(url.replaceAll("/+$", "") + "/v1/tlsrpt"));
        ingest.publicMailAddress().filter(a -> !a.isBlank()).ifPresent(address -> rua.add("mailto:" + address));
        if (rua.isEmpty()) {
            return null;
        }
        return new TlsRptRecord("_smtp._tls." + domain, "TXT", "v=TLSRPTv1; rua=" + String.join(",", rua));
    }
}
