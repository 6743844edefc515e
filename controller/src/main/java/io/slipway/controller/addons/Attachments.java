package io.slipway.controller.addons;

import io.slipway.controller.http.ApiException;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names under which add-ons are attached, and the config var each sets: {@code DATABASE} sets
 * {@code DATABASE_URL}. Heroku's rule for the default: an app's first PostgreSQL is
 * {@code DATABASE}, its first Redis {@code REDIS}; a further one of the same service takes the
 * service and its add-on's number ({@code POSTGRES_2} for postgres-shop-2), so it never replaces
 * the URL the app already uses.
 */
final class Attachments {
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,59}");

    private Attachments() {}

    /** The config var an attachment name sets. */
    static String configVar(String name) {
        return name + "_URL";
    }

    /** A name given with {@code --as}, checked; a 422 that says what is allowed otherwise. */
    static String validate(String as) {
        String name = as.strip();
        if (name.endsWith("_URL") && NAME.matcher(name).matches()) {
            throw ApiException.invalid("'" + name + "' names the config var; --as takes the attachment name, and the var is "
                    + "NAME_URL: use --as " + name.substring(0, name.length() - 4));
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.invalid("'" + as + "' is not an attachment name: use capital letters, digits and _, "
                    + "starting with a letter (e.g. ANALYTICS_DATABASE, which sets ANALYTICS_DATABASE_URL)");
        }
        return name;
    }

    /** The default name of add-on number {@code number} of {@code service} on an app whose attachments are {@code taken}. */
    static String defaultName(Service service, int number, Collection<String> taken) {
        return taken.contains(service.defaultAttachment()) ? service.numberedAttachment(number) : service.defaultAttachment();
    }

    /**
     * Refuses (409) to set {@code name}'s var on {@code app} when the config already has it: from
     * another attachment ({@code attachedBy} maps names to the add-on attached under each) or set by hand.
     */
    static void checkFree(String app, String name, Map<String, String> config, Map<String, String> attachedBy) {
        String var = configVar(name);
        String addon = attachedBy.get(name);
        if (addon != null) {
            throw ApiException.conflict(var + " on " + app + " comes from " + addon + " (attached as " + name
                    + "); pick another name with --as NAME, or detach it first: slipway addons:detach " + name + " -a " + app);
        }
        if (config.containsKey(var)) {
            throw ApiException.conflict(var + " is already set on " + app + " (not by an add-on); pick another name with "
                    + "--as NAME, or remove it first: slipway config:unset " + var + " -a " + app);
        }
    }
}
