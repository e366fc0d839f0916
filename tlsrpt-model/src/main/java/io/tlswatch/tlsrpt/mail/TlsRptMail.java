package io.tlswatch.tlsrpt.mail;

import java.util.List;

/**
 * What a TLS-RPT mail carries (RFC 8460 §5.3): the report attachments, and the headers that identify
 * the report and that a later DKIM check needs. Header values are as sent (unfolded); the report
 * bodies win over all of them when they disagree (§5.6).
 *
 * @param reportDomain    the {@code TLS-Report-Domain} header, or null
 * @param submitter       the {@code TLS-Report-Submitter} header, or null
 * @param subjectReportId the Report-ID named in the Subject, without angle brackets, or null
 * @param messageId       the {@code Message-ID} header, or null
 * @param from            the {@code From} header, or null
 * @param dkimSignatures  the signing domain and selector of each {@code DKIM-Signature}
 * @param headers         the message's header block exactly as received (for DKIM verification)
 * @param attachments     every part that holds a TLS report, in message order
 */
public record TlsRptMail(
        String reportDomain,
        String submitter,
        String subjectReportId,
        String messageId,
        String from,
        List<DkimSignature> dkimSignatures,
        String headers,
        List<ReportAttachment> attachments) {

    public TlsRptMail {
        dkimSignatures = List.copyOf(dkimSignatures);
        attachments = List.copyOf(attachments);
    }
}
