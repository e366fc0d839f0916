package io.tlswatch.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.server.SMTPServer;

/**
 * SMTP load: {@code sessions} concurrent sessions, each one connection (EHLO once) sending message
 * after message as a busy reporting MTA does: MAIL FROM, RCPT TO, DATA, the message, then RSET. A
 * message counts when DATA is answered 250. Also the baseline server: bare subethasmtp that reads
 * each message to its end and drops it.
 */
final class SmtpLoad {

    /** What one run measured; a message's latency runs from MAIL FROM to the answer to its data. */
    record Result(long messages, long failures, double seconds, double p50Ms, double p99Ms, String firstFailure) {

        double perSecond() {
            return messages / seconds;
        }
    }

    private final List<byte[]> messages;
    private final int sessions;
    private final AtomicLong next = new AtomicLong();

    SmtpLoad(List<byte[]> messages, int sessions) {
        this.messages = messages;
        this.sessions = sessions;
    }

    /** Runs the sessions against {@code port} on 127.0.0.1 for {@code seconds}. */
    Result run(int port, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int s = 0; s < sessions; s++) {
            long[] own = new long[1 << 16];
            latencies.add(own);
            Thread thread = new Thread(() -> {
                try {
                    session(port, deadline, own, sent, failed, firstFailure);
                } catch (IOException | RuntimeException e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, "session failed: " + e);
                }
            }, "smtp-session-" + s);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l).filter(v -> v > 0)).sorted().toArray();
        return new Result(sent.get(), failed.get(), elapsed, percentile(all, 0.50), percentile(all, 0.99),
                firstFailure.get());
    }

    private void session(int port, long deadline, long[] latencies, AtomicLong sent, AtomicLong failed,
            AtomicReference<String> firstFailure) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(60_000);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            expect(in, 220, "greeting");
            command(out, "EHLO load.bench.example");
            expect(in, 250, "EHLO");
            int recorded = 0;
            while (System.nanoTime() < deadline) {
                byte[] message = messages.get((int) (next.getAndIncrement() % messages.size()));
                long t0 = System.nanoTime();
                command(out, "MAIL FROM:<" + IngestReports.SENDER + "> SIZE=" + message.length);
                expect(in, 250, "MAIL FROM");
                command(out, "RCPT TO:<" + IngestReports.RECIPIENT + ">");
                expect(in, 250, "RCPT TO");
                command(out, "DATA");
                expect(in, 354, "DATA");
                out.write(message);
                out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String reply = reply(in);
                if (reply.startsWith("250")) {
                    sent.incrementAndGet();
                    if (recorded < latencies.length) {
                        latencies[recorded++] = System.nanoTime() - t0;
                    }
                } else {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, "end of data answered " + reply.strip());
                }
                command(out, "RSET");
                expect(in, 250, "RSET");
            }
            command(out, "QUIT");
            reply(in);
        }
    }

    private static void command(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void expect(InputStream in, int code, String after) throws IOException {
        String reply = reply(in);
        if (!reply.startsWith(Integer.toString(code))) {
            throw new IOException(after + " answered " + reply.strip());
        }
    }

    /** One reply, all its lines (a line "250-..." continues, "250 ..." ends it). */
    private static String reply(InputStream in) throws IOException {
        StringBuilder reply = new StringBuilder();
        while (true) {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n';) {
                if (c == -1) {
                    throw new IOException("connection closed after " + reply + line);
                }
                line.append((char) c);
            }
            reply.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                return reply.toString();
            }
        }
    }

    private static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        return sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.ceil(p * sortedNanos.length) - 1)] / 1e6;
    }

    /**
     * The baseline: subethasmtp 7.2.2 with report-ingest's session settings (its size limit, any envelope
     * sender, no Received header), a handler that reads each message to its end and drops it.
     */
    static SMTPServer discardingServer(int maxMessageSize) {
        SMTPServer server = SMTPServer.port(0)
                .hostName("baseline")
                .messageHandlerFactory((MessageContext context) -> new MessageHandler() {
                    @Override
                    public void from(String from) {
                    }

                    @Override
                    public void recipient(String recipient) {
                    }

                    @Override
                    public String data(InputStream data) throws IOException {
                        data.transferTo(OutputStream.nullOutputStream());
                        return null;
                    }

                    @Override
                    public void done() {
                    }
                })
                .maxMessageSize(maxMessageSize)
                .fromAddressValidator(sender -> true)
                .insertReceivedHeaders(false)
                .build();
        server.start();
        return server;
    }
}
