package io.slipway.controller.testing;

import io.slipway.controller.db.DatabaseUrl;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The loopback ports of an app's routable web dynos, as the router sees them (the router_backends view). */
public final class RoutableDynos {
    private RoutableDynos() {}

    public static List<Integer> ports(TestPlatform platform, String app) {
        DatabaseUrl url = platform.database();
        try (var c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             var st = c.prepareStatement("select port from router_backends where app = ? order by index")) {
            st.setString(1, app);
            var rs = st.executeQuery();
            List<Integer> ports = new ArrayList<>();
            while (rs.next()) {
                ports.add(rs.getInt(1));
            }
            return ports;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
