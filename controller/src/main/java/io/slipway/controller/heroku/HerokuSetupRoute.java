package io.slipway.controller.heroku;

import io.slipway.api.HerokuSetup;
import io.slipway.controller.http.JsonIO;
import io.undertow.server.RoutingHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code GET /platform/heroku}, for {@code slipway heroku:env}: the git host, the rendezvous port and
 * the certificate the Heroku CLI and git must trust, so a user sets nothing by hand. Behind the token,
 * as everything but health; the certificate is public anyway.
 */
public final class HerokuSetupRoute {
    public static final String PATH = "/platform/heroku";

    private final HerokuSettings settings;

    public HerokuSetupRoute(HerokuSettings settings) {
        this.settings = settings;
    }

    public void register(RoutingHandler routes) {
        routes.get(PATH, ex -> JsonIO.send(ex, 200, setup(settings, certificate(settings.certFile()))));
    }

    static HerokuSetup setup(HerokuSettings settings, String certificate) {
        String gitHost = settings.apiTlsPort().isEmpty() ? null : settings.domain() + ":" + settings.apiTlsPort().getAsInt();
        Integer rendezvous = settings.rendezvousPort().isEmpty() ? null : settings.rendezvousPort().getAsInt();
        return new HerokuSetup(settings.domain(), gitHost, rendezvous, certificate);
    }

    /** Read at each request: the router may make or renew it after the controller started. */
    private static String certificate(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
