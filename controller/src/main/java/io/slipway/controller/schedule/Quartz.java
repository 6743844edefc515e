package io.slipway.controller.schedule;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.InstanceIdGenerator;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Builds the Quartz scheduler: the JDBC job store ({@code JobStoreTX}, PostgreSQL delegate) in the
 * platform's database through the platform's own HikariCP pool, clustered, so every controller on
 * one database shares the triggers and each firing happens on exactly one of them.
 */
final class Quartz {
    /** Quartz's {@code SCHED_NAME}: the same for every controller of one platform, which is what clusters them. */
    static final String SCHEDULER_NAME = "slipway";

    private Quartz() {}

    /** How Quartz is tuned; tests shorten the intervals. */
    record Tuning(Duration misfireThreshold, Duration clusterCheckin, Duration idleWait, int threads) {}

    static Scheduler create(DataSource dataSource, Tuning tuning) {
        // Quartz finds connections by data source name in a process-wide registry; a name per
        // scheduler lets several (tests run two side by side) live in one JVM.
        String dataSourceName = "slipway-" + UUID.randomUUID();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new PoolProvider(dataSource));
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", SCHEDULER_NAME);
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.instanceIdGenerator.class", InstanceId.class.getName());
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty("org.quartz.scheduler.idleWaitTime", Long.toString(tuning.idleWait().toMillis()));
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(tuning.threads()));
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.threadPool.threadNamePrefix", "quartz-worker");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.clusterCheckinInterval", Long.toString(tuning.clusterCheckin().toMillis()));
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", Long.toString(tuning.misfireThreshold().toMillis()));
        try {
            synchronized (Quartz.class) {
                Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
                // Quartz also registers schedulers process-wide by name, which would make a second
                // one of the same name (a second controller in a test JVM) return the first.
                SchedulerRepository.getInstance().remove(SCHEDULER_NAME);
                return scheduler;
            }
        } catch (SchedulerException e) {
            throw new IllegalStateException("cannot create the Quartz scheduler: " + e.getMessage(), e);
        }
    }

    /** Quartz borrowing connections from the platform's pool; the pool's life is the platform's, not Quartz's. */
    private record PoolProvider(DataSource dataSource) implements ConnectionProvider {
        @Override
        public Connection getConnection() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void shutdown() {
            // the platform closes its pool itself
        }

        @Override
        public void initialize() {
            // nothing to set up
        }
    }

    /**
     * {@code host-pid-start-n}: unique across controllers and restarts (a containerised controller
     * may well be pid 1 every time), and it tells an operator which controller ran what.
     */
    public static final class InstanceId implements InstanceIdGenerator {
        private static final AtomicInteger COUNTER = new AtomicInteger();

        public InstanceId() {}

        @Override
        public String generateInstanceId() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
            return host + "-" + ProcessHandle.current().pid() + "-" + Long.toString(System.currentTimeMillis(), 36)
                    + "-" + COUNTER.incrementAndGet();
        }
    }
}
