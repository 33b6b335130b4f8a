package co.malipo.admin;

import java.util.concurrent.atomic.AtomicInteger;

import co.malipo.admin.auth.Role;
import co.malipo.admin.auth.UserService;

/** Creates dashboard users with unique names, so test classes never share one. */
final class TestUsers {

    static final String PASSWORD = "correct horse battery";
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestUsers() {
    }

    /** Creates a user of the role and returns its name; the password is {@link #PASSWORD}. */
    static String create(UserService users, Role role, String prefix) {
        String name = prefix + "-" + role.name().toLowerCase(java.util.Locale.ROOT) + "-" + NEXT.incrementAndGet();
        users.create(name, role.name(), PASSWORD, "test", "127.0.0.1");
        return name;
    }
}
