package io.slipway.controller.heroku;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.slipway.api.CertificateView;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppService;
import io.slipway.controller.http.JsonIO;
import io.slipway.controller.http.Routes;
import io.undertow.server.RoutingHandler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code GET /apps/{app}/sni-endpoints}, what {@code heroku certs} and {@code heroku domains:add} read:
 * an app's certificates (uploaded, and ACME's as Heroku's ACM) in Heroku's shape.
 */
final class SniEndpoints {
    record SslCert(@JsonProperty("ca_signed?") boolean caSigned, @JsonProperty("cert_domains") List<String> certDomains,
                   @JsonProperty("starts_at") Instant startsAt, @JsonProperty("expires_at") Instant expiresAt,
                   String issuer, String subject, @JsonProperty("self_signed?") boolean selfSigned, boolean acm) {}

    record AppRef(String id, String name) {}

    record Endpoint(String id, String name, @JsonProperty("display_name") String displayName, List<String> domains,
                    AppRef app, @JsonProperty("ssl_cert") SslCert sslCert,
                    @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {}

    private final AppService apps;
    private final Function<App, List<CertificateView>> certificates;

    SniEndpoints(AppService apps, Function<App, List<CertificateView>> certificates) {
        this.apps = apps;
        this.certificates = certificates;
    }

    void register(RoutingHandler routes) {
        routes.get("/apps/{app}/sni-endpoints", ex -> {
            App app = apps.get(Routes.param(ex, "app"));
            JsonIO.send(ex, 200, certificates.apply(app).stream().map(c -> endpoint(app, c)).toList());
        });
    }

    /**
     * One certificate as an SNI endpoint. Slipway keeps one uploaded certificate an app and one
     * automatic one a domain, so the name says which ({@code shop-uploaded}, {@code shop-acm-www.shop.test}),
     * and the id follows from it.
     */
    static Endpoint endpoint(App app, CertificateView c) {
        String appName = app.name().value();
        boolean acm = "auto".equals(c.source());
        String name = appName + (acm ? "-acm-" + c.domains().getFirst() : "-uploaded");
        boolean selfSigned = c.issuer().equals(c.subject());
        return new Endpoint(UUID.nameUUIDFromBytes(("slipway-sni:" + name).getBytes(StandardCharsets.UTF_8)).toString(),
                name, null, c.domains(), new AppRef(app.id().toString(), appName),
                new SslCert(!selfSigned, c.domains(), c.notBefore(), c.notAfter(), c.issuer(), c.subject(), selfSigned, acm),
                c.createdAt(), c.createdAt());
    }
}
