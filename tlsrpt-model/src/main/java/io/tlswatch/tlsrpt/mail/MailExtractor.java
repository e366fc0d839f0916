package io.tlswatch.tlsrpt.mail;

import io.tlswatch.tlsrpt.InvalidReportException;
import io.tlswatch.tlsrpt.InvalidReportException.Reason;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import jakarta.mail.util.SharedByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the TLS reports in an RFC 5322 message (RFC 8460 §5.3) with Eclipse Angus Mail, tolerating
 * what real senders do: a text/html first part, a missing closing boundary, {@code application/tlsrpt}
 * without a suffix, reports attached under other media types but named {@code *.json[.gz]}, reports
 * nested in forwarded messages, folded subjects, and an mbox {@code From } line before the headers.
 * Whether a part is gzip or JSON is left to the parser, which looks at the bytes.
 *
 * <p>Thread-safe.
 */
public final class MailExtractor {

    private static final Pattern SUBJECT_REPORT_ID =
            Pattern.compile("Report-ID:\\s*<?([^\\s<>]+)>?", Pattern.CASE_INSENSITIVE);
    /** Forwarded messages nest; real reports never go deeper than a few levels. */
    private static final int MAX_DEPTH = 8;

    private final Session session;

    public MailExtractor() {
        Properties properties = new Properties();
        // Mail.ru omits the closing boundary; keep what came before it.
        properties.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
        properties.setProperty("mail.mime.multipart.allowempty", "true");
        // Decode what can be decoded; a broken report then fails in the parser with a clear reason.
        properties.setProperty("mail.mime.base64.ignoreerrors", "true");
        properties.setProperty("mail.mime.ignoreunknownencoding", "true");
        properties.setProperty("mail.mime.parameters.strict", "false");
        this.session = Session.getInstance(properties);
    }

    /**
     * Reads the message and returns its report attachments (possibly none) and identifying headers.
     *
     * @throws InvalidReportException when the bytes cannot be read as a message at all
     */
    public TlsRptMail extract(byte[] message) {
        int start = skipMboxFromLine(message);
        try {
            MimeMessage mime = new MimeMessage(session,
                    new SharedByteArrayInputStream(message, start, message.length - start));
            List<ReportAttachment> attachments = new ArrayList<>();
            collect(mime, attachments, 0);
            List<DkimSignature> signatures = new ArrayList<>();
            String[] dkim = mime.getHeader("DKIM-Signature");
            if (dkim != null) {
                for (String value : dkim) {
                    signatures.add(DkimSignature.fromHeaderValue(MimeUtility.unfold(value)));
                }
            }
            String subject = header(mime, "Subject");
            return new TlsRptMail(
                    header(mime, "TLS-Report-Domain"),
                    header(mime, "TLS-Report-Submitter"),
                    subject == null ? null : reportIdFromSubject(subject),
                    header(mime, "Message-ID"),
                    header(mime, "From"),
                    signatures,
                    headerBlock(message, start),
                    attachments);
        } catch (MessagingException | IOException | RuntimeException e) {
            // Angus reports malformed input through several exception types; all mean the same here.
            throw new InvalidReportException(Reason.NOT_A_REPORT, "",
                    "unreadable mail message: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** The Report-ID in a subject like {@code Report Domain: d Submitter: s Report-ID: <id>}, or null. */
    static String reportIdFromSubject(String subject) {
        Matcher matcher = SUBJECT_REPORT_ID.matcher(subject);
        return matcher.find() ? matcher.group(1) : null;
    }

    private void collect(Part part, List<ReportAttachment> attachments, int depth)
            throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            return;
        }
        String type = baseType(part);
        if (type.startsWith("multipart/")) {
            if (part.getContent() instanceof Multipart multipart) {
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    collect(child, attachments, depth + 1);
                }
            }
            return;
        }
        if (type.equals("message/rfc822")) {
            if (part.getContent() instanceof Part nested) {
                collect(nested, attachments, depth + 1);
            }
            return;
        }
        String fileName = fileName(part);
        if (isReport(type, fileName)) {
            try (InputStream in = part.getInputStream()) {
                attachments.add(new ReportAttachment(type, fileName,
                        ReportFileName.parse(fileName).orElse(null), in.readAllBytes()));
            }
        }
    }

    private static boolean isReport(String type, String fileName) {
        if (type.startsWith("application/tlsrpt")) {
            return true;
        }
        if (fileName == null) {
            return false;
        }
        String name = fileName.toLowerCase(Locale.ROOT);
        return name.endsWith(".json") || name.endsWith(".json.gz");
    }

    private static String baseType(Part part) throws MessagingException {
        String raw = part.getContentType();
        if (raw == null) {
            return "text/plain";
        }
        try {
            return new ContentType(raw).getBaseType().toLowerCase(Locale.ROOT);
        } catch (ParseException malformed) {
            int semicolon = raw.indexOf(';');
            return (semicolon < 0 ? raw : raw.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        }
    }

    private static String fileName(Part part) {
        try {
            return part.getFileName();
        } catch (MessagingException malformed) {
            return null;
        }
    }

    private static String header(MimeMessage mime, String name) throws MessagingException {
        String raw = mime.getHeader(name, null);
        if (raw == null) {
            return null;
        }
        String unfolded = MimeUtility.unfold(raw).strip();
        try {
            return MimeUtility.decodeText(unfolded);
        } catch (UnsupportedEncodingException unknownCharset) {
            return unfolded;
        }
    }

    /** An mbox export starts with {@code From sender date}, which is not a header. */
    private static int skipMboxFromLine(byte[] message) {
        if (message.length < 5 || !new String(message, 0, 5, StandardCharsets.US_ASCII).equals("From ")) {
            return 0;
        }
        for (int i = 0; i < message.length; i++) {
            if (message[i] == '\n') {
                return i + 1;
            }
        }
        return message.length;
    }

    /** The header block as received, up to the first empty line. */
    private static String headerBlock(byte[] message, int start) {
        int end = message.length;
        for (int i = start; i < message.length; i++) {
            if (message[i] == '\n' && i + 1 < message.length
                    && (message[i + 1] == '\n' || (message[i + 1] == '\r' && i + 2 < message.length
                    && message[i + 2] == '\n'))) {
                end = i + 1;
                break;
            }
        }
        // Headers are 7-bit by RFC 5322; ISO-8859-1 keeps any stray 8-bit byte instead of replacing it.
        return new String(message, start, end - start, StandardCharsets.ISO_8859_1);
    }
}
