package io.slipway.router;

/**
 * Every answer the router gives instead of a dyno's, with Heroku's error codes where Heroku has
 * one, so people can look them up. {@link ErrorPage} renders them; this is the one list.
 */
enum RouterError {
    BAD_REQUEST(400, "bad_request", "Bad request", "Bad request",
            "The request was malformed and was not passed on to any app."),
    HEADERS_TOO_LARGE(431, "headers_too_large", "Request header fields too large", "Request headers too large",
            "The request's headers are larger than the router accepts, so it was not passed on to any app."),
    NO_SUCH_APP(404, "no_such_app", "No such app", "No such app",
            "There is no app at this address."),
    ROUTES_UNAVAILABLE(503, "routes_unavailable", "Routes not loaded", "Routes not loaded yet",
            "The router has not been able to read its routes from the platform's database yet. Try again in a moment."),
    NO_WEB_DYNOS(503, "H14", "No web dynos running", "No web dynos running",
            "This app has no web dynos running. Scale it up with 'slipway ps:scale web=1'."),
    NO_DYNO_READY(503, "H14", "No web dynos ready", "No web dynos ready",
            "This app's web dynos are not accepting requests yet. Try again in a moment; 'slipway ps' shows their state."),
    APP_CRASHED(503, "H10", "App crashed", "Application error",
            "This app's web dynos have crashed. 'slipway logs' and 'slipway ps' show why."),
    BACKLOG_TOO_DEEP(503, "H11", "Backlog too deep", "Too busy",
            "This app's dynos have more requests waiting than the router will queue. Try again in a moment."),
    CONNECTION_REFUSED(502, "H13", "Connection refused by every dyno", "Application error",
            "None of this app's web dynos accepted a connection (an H13-like error: Slipway answers 502 for it)."),
    CLOSED_WITHOUT_RESPONSE(502, "H13", "Connection closed without response", "Application error",
            "The dyno closed the connection before it sent a response."),
    BAD_RESPONSE(502, "H17", "Poorly formatted HTTP response", "Application error",
            "The dyno's response was not valid HTTP, or its headers were too large for the router."),
    TIMEOUT(504, "H12", "Request timeout", "Request timeout",
            "The dyno did not start answering in time.");

    final int status;
    /** The value of {@code X-Slipway-Error}, and {@code code=} in the router log line. */
    final String code;
    /** {@code desc=} in the log line, as Heroku words it. */
    final String desc;
    final String title;
    final String detail;

    RouterError(int status, String code, String desc, String title, String detail) {
        this.status = status;
        this.code = code;
        this.desc = desc;
        this.title = title;
        this.detail = detail;
    }

    /** Errors of the app's own making show the Heroku code on the page too. */
    boolean isHerokuCode() {
        return code.length() == 3 && code.charAt(0) == 'H';
    }
}
