package io.tlswatch.tlsrpt.cli;

import io.tlswatch.tlsrpt.InvalidReportException;
import io.tlswatch.tlsrpt.TlsReport;
import io.tlswatch.tlsrpt.TlsRptJson;
import io.tlswatch.tlsrpt.TlsRptParser;
import io.tlswatch.tlsrpt.mail.MailExtractor;
import io.tlswatch.tlsrpt.mail.ReportAttachment;
import io.tlswatch.tlsrpt.mail.TlsRptMail;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar tlsrpt-model-cli.jar FILE...}: prints the normalised report(s) in each file as JSON
 * on standard output. A file is a report (gzip or JSON) or a mail message ({@code .eml}) carrying
 * reports; which one is decided by its bytes. Exit status: 0 when every file held only valid reports,
 * 1 when any report was invalid or a mail held none, 2 for a usage or I/O error.
 */
public final class TlsRptCli {

    private final TlsRptParser parser = TlsRptParser.withDefaults();
    private final MailExtractor mailExtractor = new MailExtractor();
    private final PrintStream out;
    private final PrintStream err;

    TlsRptCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new TlsRptCli(System.out, System.err).run(args));
    }

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            err.println("usage: tlsrpt FILE...   (a .json, .json.gz or .eml file; prints the normalised reports)");
            return 2;
        }
        int status = 0;
        for (String name : args) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(Path.of(name));
            } catch (IOException e) {
                err.println(name + ": cannot read: " + e.getMessage());
                return 2;
            }
            status = Math.max(status, looksLikeMail(bytes) ? printMail(name, bytes) : printReport(name, bytes));
        }
        return status;
    }

    private int printReport(String name, byte[] bytes) {
        try {
            print(parser.parse(bytes));
            return 0;
        } catch (InvalidReportException e) {
            err.println(name + ": invalid report (" + e.reason().tag() + "): " + e.getMessage());
            return 1;
        }
    }

    private int printMail(String name, byte[] bytes) {
        TlsRptMail mail;
        try {
            mail = mailExtractor.extract(bytes);
        } catch (InvalidReportException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        }
        if (mail.attachments().isEmpty()) {
            err.println(name + ": the message holds no TLS report");
            return 1;
        }
        int status = 0;
        List<TlsReport> reports = new ArrayList<>();
        for (ReportAttachment attachment : mail.attachments()) {
            try {
                reports.add(parser.parse(attachment.payload()));
            } catch (InvalidReportException e) {
                String part = attachment.fileName() == null ? attachment.contentType() : attachment.fileName();
                err.println(name + " [" + part + "]: invalid report (" + e.reason().tag() + "): " + e.getMessage());
                status = 1;
            }
        }
        reports.forEach(this::print);
        return status;
    }

    private void print(TlsReport report) {
        try {
            out.println(TlsRptJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
        } catch (IOException e) {
            throw new IllegalStateException("a parsed report always serialises", e);
        }
    }

    /** Neither gzip nor JSON: treat it as a message. */
    private static boolean looksLikeMail(byte[] bytes) {
        if (TlsRptParser.isGzip(bytes)) {
            return false;
        }
        for (byte b : bytes) {
            if (b == '{' || b == '[') {
                return false;
            }
            if (!Character.isWhitespace(b) && (b & 0xff) != 0xef && (b & 0xff) != 0xbb && (b & 0xff) != 0xbf) {
                return true;
            }
        }
        return false;
    }
}
