package io.slipway.controller.docker;

/**
 * Every label key and role value Slipway puts on containers, volumes and images, in one place: the
 * platform finds its own things by these (and adopts running dynos after a restart), so a key
 * spelled two ways would make a container invisible to one of its readers.
 */
public final class Labels {
    /** The platform's short id: several platforms can share one engine without touching each other's things. */
    public static final String PLATFORM = "io.slipway.platform";
    public static final String APP = "io.slipway.app";
    /** What a container is for: one of the {@code ROLE_} values. */
    public static final String ROLE = "io.slipway.role";
    public static final String BUILD = "io.slipway.build";
    public static final String COMMIT = "io.slipway.commit";
    /** The release version a dyno or one-off runs ({@code 7} for v7). */
    public static final String RELEASE = "io.slipway.release";
    /** A formation dyno's process type and index ({@code web}, {@code 2}). */
    public static final String TYPE = "io.slipway.type";
    public static final String INDEX = "io.slipway.index";
    /** Which container of a formation dyno this is: 0, then one more for each restart asked for. */
    public static final String GENERATION = "io.slipway.generation";
    /** A one-off dyno's name ({@code run.3}). */
    public static final String DYNO = "io.slipway.dyno";
    /**
     * On a build cache volume: the uid its files belong to. A volume without it comes from builds
     * that ran as root, which a build that starts as the build user could not write into.
     */
    public static final String CACHE_OWNER = "io.slipway.cache-owner";
    /** An add-on container's or volume's add-on name ({@code postgres-shop-1}). */
    public static final String ADDON = "io.slipway.addon";

    public static final String ROLE_DYNO = "dyno";
    public static final String ROLE_RUN = "run";
    public static final String ROLE_BUILD = "build";
    /** The container a build's /app is copied into before it is committed as the app's image. */
    public static final String ROLE_SLUG = "slug";
    public static final String ROLE_CACHE = "cache";
    public static final String ROLE_STACK = "stack";
    /** The Procfile {@code release:} command of one release. */
    public static final String ROLE_RELEASE = "release";
    /** An app's own Docker network, which all its containers join. */
    public static final String ROLE_APP_NETWORK = "app-network";
    /** The network build containers join: outbound access, nothing of the platform's. */
    public static final String ROLE_BUILD_NETWORK = "build-network";
    /** An add-on's server container and its data volume (PostgreSQL, Redis). */
    public static final String ROLE_ADDON = "addon";
    /** An add-on service's image, built from {@code buildpacks/services/}. */
    public static final String ROLE_SERVICE = "service";

    private Labels() {}
}
