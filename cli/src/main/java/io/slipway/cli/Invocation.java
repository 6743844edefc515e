package io.slipway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.Json;
import picocli.CommandLine;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the commands of one CLI run share: its {@link CliContext}, UTF-8 writers on its streams,
 * and the API client, opened on first use (so {@code --help} and {@code login} never need a token).
 */
final class Invocation implements AutoCloseable {
    private final CliContext ctx;
    private final PrintWriter out;
    private final PrintWriter err;
    private ApiClient api;

    Invocation(CliContext ctx) {
        this.ctx = ctx;
        this.out = new PrintWriter(new OutputStreamWriter(ctx.stdout(), StandardCharsets.UTF_8), true);
        this.err = new PrintWriter(new OutputStreamWriter(ctx.stderr(), StandardCharsets.UTF_8), true);
    }

    CliContext ctx() {
        return ctx;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    Path home() {
        return SlipwayHome.of(ctx);
    }

    boolean debug() {
        return ctx.var("SLIPWAY_DEBUG").map(v -> !v.equals("0") && !v.equalsIgnoreCase("false")).orElse(false);
    }

    /** The platform this run talks to, with its token; fails with a clear line when there is no token. */
    ApiClient api() {
        if (api == null) {
            api = ApiClient.authenticated(ApiTarget.resolve(ctx));
        }
        return api;
    }

    /** The app a command is about; a usage error (exit 2) when nothing names one. */
    String app(String option, CommandLine.Model.CommandSpec spec) {
        return AppResolver.resolve(option, ctx)
                .orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(), AppResolver.NO_APP));
    }

    /** {@code --json}: the API's own JSON, pretty, so fields this CLI does not know yet still show. */
    void printJson(JsonNode node) {
        try {
            out.print(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON", e);
        }
    }

    /** {@code /apps/shop/config-vars} with the app name safely encoded. */
    /**
     * What every listing verb does: GET {@code path}; with {@code json} the API's JSON as it is,
     * else {@code none} when there are no items, or a {@code === title} header and one row of
     * columns per item (under {@code headings} when there are any).
     */
    <T> int list(String path, boolean json, Class<T[]> type, String none, String title, List<String> headings,
                 Function<T, List<String>> row) {
        ApiClient api = api();
        JsonNode node = api.get(path);
        if (json) {
            printJson(node);
            return 0;
        }
        T[] items = api.convert(node, type);
        if (items.length == 0) {
            out().print(none + "\n");
            return 0;
        }
        Listing.header(out(), title);
        List<List<String>> rows = new ArrayList<>();
        if (!headings.isEmpty()) {
            rows.add(headings);
        }
        for (T item : items) {
            rows.add(row.apply(item));
        }
        Listing.columns(out(), rows);
        return 0;
    }

    static String appPath(String app, String... rest) {
        StringBuilder path = new StringBuilder("/apps/").append(ApiClient.segment(app));
        for (String part : rest) {
            path.append('/').append(part);
        }
        return path.toString();
    }

    @Override
    public void close() {
        out.flush();
        err.flush();
        if (api != null) {
            api.close();
        }
    }
}
