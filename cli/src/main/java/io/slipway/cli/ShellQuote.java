package io.slipway.cli;

/** POSIX shell quoting for {@code config --shell}, so its output can be {@code eval}ed or sourced as is. */
final class ShellQuote {
    private ShellQuote() {}

    /**
     * {@code it's} → {@code 'it'\''s'}: inside single quotes nothing is special, so every byte
     * (newlines, {@code $}, backslashes, backquotes) survives; only a quote itself must close, escape and reopen.
     */
    static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** One {@code KEY='value'} line, as {@code .env} files and {@code export} take them. */
    static String assignment(String key, String value) {
        return key + "=" + quote(value);
    }
}
