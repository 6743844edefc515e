package io.slipway.controller.certs.acme;

import io.slipway.controller.app.AppService;
import io.slipway.controller.certs.CertService;
import io.slipway.keys.CertKey;
import io.slipway.controller.db.Database;
import io.slipway.controller.logs.LogSink;
import io.slipway.controller.schedule.ScheduleService;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires automatic certificates: the service, its renewal timer on the platform's Quartz scheduler, its routes. */
public final class Acme {
    private static final Logger log = LoggerFactory.getLogger(Acme.class);
    static final String GROUP = "acme";

    private Acme() {}

    /** Call before {@code schedules.start()}, so that the renewal timer's job is not taken for a stale one. */
    public static AcmeService wire(Database db, CertKey sealing, AppService apps, CertService certs, ScheduleService schedules,
                                   LogSink logs, AcmeSettings settings, Clock clock) {
        AcmeClient client = new AcmeClient(settings, new AccountKeys(db, sealing, settings.directory())::get);
        AcmeService service = new AcmeService(new AcmeStore(db), client, new ChallengeAnswers(db), certs, apps, logs,
                Renewal.of(settings.renewBefore()), clock);
        schedules.timer(GROUP, (name, at) -> service.wake());
        schedules.planEvery(GROUP, "renewals", settings.checkEvery());
        log.info("acme: certificates from {}, renewed {} days before expiry, checked every {} s", settings.directory(),
                settings.renewBefore().toDays(), settings.checkEvery().toSeconds());
        return service;
    }
}
