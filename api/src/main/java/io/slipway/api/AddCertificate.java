package io.slipway.api;

/** Body of {@code POST /apps/{app}/certs}: the certificate chain (leaf first) and its private key, both PEM. */
public record AddCertificate(String certificate, String privateKey) {}
