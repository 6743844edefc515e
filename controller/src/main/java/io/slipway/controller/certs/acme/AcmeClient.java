package io.slipway.controller.certs.acme;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * One certificate for one host name from an ACME server (RFC 8555, by acme4j): the platform's
 * account, an order, the HTTP-01 challenge answered by the routers (published through
 * {@link Answers} while the server checks it), then a fresh P-256 key and its CSR.
 */
final class AcmeClient {
    /** How long the server may take to check a challenge, or to sign the certificate. */
    static final Duration WAIT = Duration.ofSeconds(90);

    /** Where the key authorizations go for the routers to serve at {@code /.well-known/acme-challenge/<token>}. */
    interface Answers {
        void publish(String token, String keyAuthorization);

        void withdraw(String token);
    }

    record Issued(List<X509Certificate> chain, KeyPair key) {}

    /** What the server said went wrong, in its words (e.g. "DNS problem: SERVFAIL looking up A for www.shop.test"). */
    static final class Failure extends Exception {
        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final URI directory;
    private final Session session;
    private final Supplier<KeyPair> accountKey;

    AcmeClient(AcmeSettings settings, Supplier<KeyPair> accountKey) {
        this.directory = settings.directory();
        this.session = new Session(settings.directory(), new TrustingProvider(settings.caBundle()));
        this.accountKey = accountKey;
    }

    Issued issue(String host, Answers answers) throws Failure, InterruptedException {
        List<String> published = new ArrayList<>();
        try {
            // Registers the account on first use; afterwards the same key finds the same account.
            Account account = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey.get()).create(session);
            Order order = account.newOrder().domain(host).create();
            for (Authorization auth : order.getAuthorizations()) {
                if (auth.getStatus() == Status.VALID) {
                    continue; // validated recently for this account: no challenge to answer
                }
                Http01Challenge challenge = auth.findChallenge(Http01Challenge.class).orElseThrow(() -> new Failure(
                        directory + " offers no http-01 challenge for " + host + ", the only kind Slipway answers", null));
                answers.publish(challenge.getToken(), challenge.getAuthorization());
                published.add(challenge.getToken());
                challenge.trigger();
                if (challenge.waitForCompletion(WAIT) != Status.VALID) {
                    throw new Failure(challenge.getError().map(Problem::toString)
                            .orElse("the http-01 challenge for " + host + " ended " + challenge.getStatus()), null);
                }
            }
            if (order.waitUntilReady(WAIT) != Status.READY) {
                throw new Failure(order.getError().map(Problem::toString).orElse("the order for " + host + " is " + order.getStatus()), null);
            }
            KeyPair key = newKey();
            order.execute(key);
            if (order.waitForCompletion(WAIT) != Status.VALID) {
                throw new Failure(order.getError().map(Problem::toString)
                        .orElse("the certificate for " + host + " was not issued: the order is " + order.getStatus()), null);
            }
            return new Issued(order.getCertificate().getCertificateChain(), key);
        } catch (AcmeException e) {
            throw new Failure(describe(e), e);
        } finally {
            published.forEach(answers::withdraw);
        }
    }

    /**
     * acme4j's message with what lies under it: its network errors say only "Network error", and
     * the cause says which (connection refused, an untrusted certificate, a timeout).
     */
    String describe(AcmeException e) {
        StringBuilder out = new StringBuilder(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        String last = out.toString();
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof java.net.ConnectException) {
                out.append(": could not connect").append(c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
                break; // what lies under it is the JDK's plumbing
            }
            String text = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (!last.endsWith(text)) {
                out.append(": ").append(text);
            }
            last = text;
        }
        if (e instanceof org.shredzone.acme4j.exception.AcmeNetworkException) {
            out.append(" (talking to the ACME server at ").append(directory).append(')');
        }
        return out.toString();
    }

    /** P-256: what the router's handshakes are quickest with, and what every client accepts. */
    static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has P-256", e);
        }
    }
}
