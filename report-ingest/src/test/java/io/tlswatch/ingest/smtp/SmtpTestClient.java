package io.tlswatch.ingest.smtp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A raw-socket SMTP client for tests: the message goes out byte for byte (only dot-stuffed, as RFC
 * 5321 §4.5.2 asks of the client), and every reply line the server writes is read and kept, so a
 * forged line would show.
 */
final class SmtpTestClient implements AutoCloseable {

    /**
     * The reply to a message with one new report. When the store call times out on a loaded machine and
     * is retried, the retry finds the report stored by the first attempt and the reply says so: still one
     * report, stored once.
     */
    static final String STORED_ONE = "250 2\\.0\\.0 stored 1 report\\(s\\)(, 1 of them already stored before)?";

    /** One reply: its code and each of its lines (without CRLF). */
    record Reply(int code, List<String> lines) {
        String text() {
            return String.join("\n", lines);
        }

        boolean advertises(String extension) {
            return lines.stream().anyMatch(l -> l.substring(4).equalsIgnoreCase(extension)
                    || l.substring(4).toUpperCase().startsWith(extension.toUpperCase() + " "));
        }

        @Override
        public String toString() {
            return text();
        }
    }

    static final String FROM = "reporter@sender.example";
    static final String TO = "tlsrpt@reports.example";

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final Reply greeting;

    private SmtpTestClient(Socket socket) throws IOException {
        use(socket);
        this.greeting = read();
    }

    static SmtpTestClient connect(int port) {
        return connect(port, "127.0.0.1");
    }

    /** From a given loopback address, so a test has its own per-client limits (127.0.0.0/8 is all loopback). */
    static SmtpTestClient connect(int port, String localAddress) {
        try {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            return new SmtpTestClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply greeting() {
        return greeting;
    }

    Reply command(String line) {
        try {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply ehlo() {
        return command("EHLO client.sender.example");
    }

    /** MAIL, RCPT and DATA with the message: the first reply that is not the expected one, else DATA's last. */
    Reply send(String from, String to, byte[] message) {
        Reply mail = command("MAIL FROM:<" + from + ">");
        if (mail.code() != 250) {
            return mail;
        }
        Reply rcpt = command("RCPT TO:<" + to + ">");
        if (rcpt.code() != 250) {
            return rcpt;
        }
        return data(message);
    }

    Reply send(byte[] message) {
        return send(FROM, TO, message);
    }

    Reply data(byte[] message) {
        Reply data = command("DATA");
        if (data.code() != 354) {
            return data;
        }
        try {
            out.write(dotStuffed(message));
            out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One BDAT chunk (RFC 3030): sent as it is, no dot-stuffing. */
    Reply bdat(byte[] chunk, boolean last) {
        try {
            out.write(("BDAT " + chunk.length + (last ? " LAST" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** STARTTLS, then the handshake with a client that trusts only {@code trust}'s certificates. */
    Reply startTls(SSLContext trust) {
        Reply reply = command("STARTTLS");
        if (reply.code() != 220) {
            return reply;
        }
        try {
            SSLSocket tls = (SSLSocket) trust.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
            tls.setUseClientMode(true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            use(tls);
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isTls() {
        return socket instanceof SSLSocket;
    }

    /** True when the server has closed the connection (nothing more to read). */
    boolean closedByServer() {
        try {
            socket.setSoTimeout(5_000);
            return in.read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            if (!socket.isClosed()) {
                try {
                    out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException alreadyClosed) {
                    // the server may have closed it
                }
                socket.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void use(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    private Reply read() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line.length() < 4 || !line.substring(0, 3).chars().allMatch(Character::isDigit)
                    || (line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new IOException("malformed reply line: " + line);
            }
            lines.add(line);
            if (line.charAt(3) == ' ') {
                return new Reply(Integer.parseInt(line.substring(0, 3)), List.copyOf(lines));
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        for (int b; (b = in.read()) != -1;) {
            if (b == '\n' && previous == '\r') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
        throw new EOFException("connection closed after \"" + line.toString(StandardCharsets.ISO_8859_1) + "\"");
    }

    /** A '.' that starts a line gets another; the message ends with CRLF so the terminator is a line of its own. */
    static byte[] dotStuffed(byte[] message) {
        ByteArrayOutputStream stuffed = new ByteArrayOutputStream(message.length + 64);
        boolean lineStart = true;
        for (int i = 0; i < message.length; i++) {
            byte b = message[i];
            if (lineStart && b == '.') {
                stuffed.write('.');
            }
            stuffed.write(b);
            lineStart = b == '\n' && i > 0 && message[i - 1] == '\r';
        }
        if (message.length < 2 || message[message.length - 2] != '\r' || message[message.length - 1] != '\n') {
            stuffed.write('\r');
            stuffed.write('\n');
        }
        return stuffed.toByteArray();
    }
}
