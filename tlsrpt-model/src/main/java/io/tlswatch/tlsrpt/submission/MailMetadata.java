package io.tlswatch.tlsrpt.submission;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tlswatch.tlsrpt.mail.DkimSignature;
import java.util.List;

/**
 * What a later DKIM check and an operator need of the message a report came in.
 *
 * @param submitter      the TLS-Report-Submitter header
 * @param reportDomain   the TLS-Report-Domain header
 * @param messageId      the Message-ID header
 * @param fileName       the report attachment's file name
 * @param headers        the message's header block as received
 * @param dkimSignatures d= and s= of each DKIM-Signature
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MailMetadata(
        @JsonProperty("submitter") String submitter,
        @JsonProperty("report-domain") String reportDomain,
        @JsonProperty("message-id") String messageId,
        @JsonProperty("file-name") String fileName,
        @JsonProperty("headers") String headers,
        @JsonProperty("dkim-signatures") List<DkimSignature> dkimSignatures) {
}
