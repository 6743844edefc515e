package io.slipway.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The router answers ACME HTTP-01 challenges from the controller's database for any Host, before
 * routing (an app that redirects to HTTPS, a custom domain, a name no app has), and passes a token
 * it does not know on to the app.
 */
class AcmeChallengeTest {
    static RoutedPlatform p;
    static StandInDyno web;

    @BeforeAll
    static void start() {
        p = RoutedPlatform.start();
        web = p.dyno("web.1");
        p.createApp("shop");
        p.addDomain("shop", "www.shop.test");
        p.addWebDyno("shop", 1, web.port());
    }

    @AfterAll
    static void stop() {
        p.close();
    }

    @Test
    void aChallengeStoredByTheControllerIsAnsweredForAnyHostAndGoneWhenWithdrawn() {
        p.sql("insert into acme_challenges (token, key_authorization) values ('tok-1', 'tok-1.thumbprint')");
        await().atMost(Duration.ofSeconds(2)).until(() -> p.get("www.shop.test", "/.well-known/acme-challenge/tok-1").statusCode() == 200);
        for (String host : new String[] {"www.shop.test", "shop.localhost", "unknown.example"}) {
            HttpResponse<String> r = p.get(host, "/.well-known/acme-challenge/tok-1");
            assertThat(r.statusCode()).as(host).isEqualTo(200);
            assertThat(r.body()).isEqualTo("tok-1.thumbprint");
        }
        p.sql("delete from acme_challenges where token = 'tok-1'");
        await().atMost(Duration.ofSeconds(2)).until(() -> p.get("unknown.example", "/.well-known/acme-challenge/tok-1").statusCode() == 404);
    }

    @Test
    void anAppThatSendsPlainHttpToHttpsStillHasItsChallengesAnsweredOverPlainHttp() {
        Router tls = p.startTlsRouter();
        assertThat(p.api.send("PUT", "/apps/shop/certs/redirect", "{\"force_https\":true}").status()).isEqualTo(200);
        p.sql("insert into acme_challenges (token, key_authorization) values ('tok-3', 'tok-3.thumbprint')");
        await().atMost(Duration.ofSeconds(2)).until(() -> p.send(RoutedPlatform.request(tls, "www.shop.test", "/").GET().build()).statusCode() == 308);
        await().atMost(Duration.ofSeconds(2)).until(() ->
                p.send(RoutedPlatform.request(tls, "www.shop.test", "/.well-known/acme-challenge/tok-3").GET().build()).statusCode() == 200);
        assertThat(p.send(RoutedPlatform.request(tls, "www.shop.test", "/.well-known/acme-challenge/tok-3").GET().build()).body())
                .isEqualTo("tok-3.thumbprint");
        assertThat(p.api.send("PUT", "/apps/shop/certs/redirect", "{\"force_https\":false}").status()).isEqualTo(200);
        p.sql("delete from acme_challenges where token = 'tok-3'");
    }

    @Test
    void aTokenTheRouterDoesNotKnowGoesOnToTheApp() {
        p.sql("insert into acme_challenges (token, key_authorization) values ('tok-2', 'tok-2.thumbprint')");
        await().atMost(Duration.ofSeconds(2)).until(() -> p.get("www.shop.test", "/.well-known/acme-challenge/tok-2").statusCode() == 200);
        int seen = web.seen.size();
        HttpResponse<String> r = p.get("www.shop.test", "/.well-known/acme-challenge/its-own");
        assertThat(r.statusCode()).isEqualTo(200); // the stand-in dyno's answer
        assertThat(web.seen).hasSize(seen + 1);
        assertThat(web.seen.getLast().path()).isEqualTo("/.well-known/acme-challenge/its-own");
        p.sql("delete from acme_challenges where token = 'tok-2'");
    }
}
