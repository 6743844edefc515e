package io.slipway.controller.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a data directory's {@code postmaster.pid} says about its server: which process is the
 * postmaster, whether it still lives, and whether a dead one's lock may be cleared for a new start.
 * Read afresh each time; the supervisor asks several times a second, which costs one small file read.
 */
record PostmasterLock(Path pidFile) {
    private static final Path SYSV_SHM = Path.of("/proc/sysvipc/shm");

    static PostmasterLock in(Path dataDirectory) {
        return new PostmasterLock(dataDirectory.resolve("postmaster.pid"));
    }

    /** The pid the lock file names, empty when there is no (readable) lock file: the server was stopped cleanly. */
    OptionalLong pid() {
        return line(0).flatMap(PostmasterLock::number).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /**
     * True when the named process is alive and is a PostgreSQL server. A zombie (a killed postmaster
     * in a container whose init does not reap orphans) counts as dead, and so does a pid the kernel
     * gave to some other program since.
     */
    boolean postmasterAlive() {
        OptionalLong pid = pid();
        if (pid.isEmpty()) {
            return false;
        }
        return ProcessHandle.of(pid.getAsLong())
                .filter(ProcessHandle::isAlive)
                .filter(p -> !zombie(p.pid())) // the JDK calls a zombie alive
                .map(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(true))
                .orElse(false);
    }

    private static boolean zombie(long pid) {
        try {
            // "pid (comm) S ...": the state follows the last ')', since comm may hold anything.
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')');
            char state = end > 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (IOException e) {
            return false; // reaped meanwhile (the next look sees it gone), or no /proc: the JDK's answer stands
        }
    }

    /**
     * Prepares a start after the postmaster died. PostgreSQL refuses to start while the pid in its
     * lock file answers {@code kill(pid, 0)}, which a zombie or a reused pid does; then the lock
     * file goes, but only once no process is attached to the dead server's shared memory segment
     * any more: that is the check PostgreSQL itself makes (and would no longer make without the
     * file) so that two sets of backends never write one data directory. Returns why a start
     * must wait, or empty when it may go ahead.
     */
    Optional<String> clearIfStale() throws IOException {
        OptionalLong pid = pid();
        if (pid.isEmpty() || postmasterAlive() || !Files.exists(Path.of("/proc", Long.toString(pid.getAsLong())))) {
            return Optional.empty(); // nothing there, alive (adopt it), or gone for good: PostgreSQL copes
        }
        OptionalLong attached = attachedToSharedMemory();
        if (attached.isEmpty()) {
            return Optional.of("cannot tell whether processes of the dead postmaster (pid " + pid.getAsLong()
                    + ") still use its shared memory (" + SYSV_SHM + " unreadable); remove " + pidFile
                    + " by hand once no 'postgres' process of this data directory runs");
        }
        if (attached.getAsLong() > 0) {
            return Optional.of(attached.getAsLong() + " process(es) of the dead postmaster (pid " + pid.getAsLong()
                    + ") are still attached to its shared memory");
        }
        Files.deleteIfExists(pidFile);
        return Optional.empty();
    }

    /** How many processes are attached to the segment the lock file names (0 when it is gone); empty when unknown. */
    private OptionalLong attachedToSharedMemory() throws IOException {
        // Line 7 of postmaster.pid: "<key> <shmid>" of the server's System V interlock segment.
        Optional<Long> shmid = line(6).map(String::strip).map(s -> s.split("\\s+")).filter(p -> p.length == 2)
                .flatMap(p -> number(p[1]));
        if (shmid.isEmpty()) {
            return OptionalLong.of(0); // no segment recorded: nothing can be attached to it
        }
        if (!Files.isReadable(SYSV_SHM)) {
            return OptionalLong.empty();
        }
        // Columns: key shmid perms size cpid lpid nattch ...
        List<String> rows = Files.readAllLines(SYSV_SHM);
        for (String row : rows.subList(Math.min(1, rows.size()), rows.size())) {
            String[] f = row.strip().split("\\s+");
            if (f.length > 6 && f[1].equals(Long.toString(shmid.get()))) {
                return number(f[6]).map(OptionalLong::of).orElse(OptionalLong.empty());
            }
        }
        return OptionalLong.of(0); // the segment is gone with its last user
    }

    private Optional<String> line(int index) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return index < lines.size() ? Optional.of(lines.get(index)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // absent, or being rewritten by a starting server: asked again shortly
        }
    }

    private static Optional<Long> number(String s) {
        try {
            return Optional.of(Long.parseLong(s.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
