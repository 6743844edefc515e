package io.slipway.api;

import java.time.Instant;
import java.util.List;

/**
 * An add-on (a backing service, factor IV): {@code postgres-shop-1}, its service and version, the
 * app that owns it, where it is ({@code creating}, {@code available}, {@code down}, {@code failed};
 * {@code message} says what it is doing or why it failed), where it is attached and how much disk
 * its data takes ({@code sizeBytes}, null when it cannot be read now).
 */
public record AddonView(String name, String service, String version, String app, String state, String message,
                        List<Attachment> attachments, Long sizeBytes, Instant createdAt) {

    /** The add-on set as {@code configVar} on {@code app}; {@code release} is the release that change cut (null before a first deploy). */
    public record Attachment(String app, String name, String configVar, String release) {}
}
