package co.malipo.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import co.malipo.admin.auth.Role;
import co.malipo.admin.auth.SessionCookie;
import co.malipo.admin.auth.UserService;
import co.malipo.core.invoice.ValidationException;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class SignInTest {

    @Inject
    UserService users;
    @Inject
    Db db;

    @Test
    void anonymousIsSentToSignIn() {
        given().redirects().follow(false).when().get("/").then().statusCode(303)
                .header("Location", containsString("/login"));
        given().redirects().follow(false).when().get("/invoices").then().statusCode(303);
    }

    @Test
    void signInSetsSafeSessionCookie() {
        String name = TestUsers.create(users, Role.FINANCE, "signin");
        StaffSession session = new StaffSession();
        Response response = session.submitLogin(name, TestUsers.PASSWORD);

        assertThat(response.statusCode()).isEqualTo(303);
        String setCookie = response.getHeaders().getValues("Set-Cookie").stream()
                .filter(header -> header.startsWith(SessionCookie.NAME + "=")).findFirst().orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly");
        assertThat(setCookie).containsIgnoringCase("SameSite=Strict");
        String stored = db.one("SELECT token_hash FROM admin_sessions s JOIN admin_users u ON u.id = s.user_id"
                + " WHERE u.username = ?", row -> row.getString(1), name).orElseThrow();
        assertThat(stored).as("only the token's hash is stored").isNotEqualTo(session.cookie(SessionCookie.NAME));

        session.get("/").then().statusCode(200).body(containsString(name + " (FINANCE)"));
    }

    @Test
    void wrongPasswordIsRejectedAndAudited() {
        String name = TestUsers.create(users, Role.SUPPORT, "wrongpw");
        Response response = new StaffSession().submitLogin(name, "not the password");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.asString()).contains("Sign-in failed");
        assertThat(auditActions(name)).contains("LOGIN_FAILED");
    }

    @Test
    void repeatedFailuresLockUser() {
        String name = TestUsers.create(users, Role.FINANCE, "lockout");
        for (int i = 0; i < 5; i++) {
            assertThat(new StaffSession().submitLogin(name, "wrong password " + i).statusCode()).isEqualTo(401);
        }
        assertThat(new StaffSession().submitLogin(name, TestUsers.PASSWORD).statusCode())
                .as("the right password while locked").isEqualTo(401);
        assertThat(db.one("SELECT locked_until IS NOT NULL FROM admin_users WHERE username = ?",
                row -> row.getBoolean(1), name)).contains(true);

        long id = db.one("SELECT id FROM admin_users WHERE username = ?", row -> row.getLong(1), name).orElseThrow();
        users.unlock(id, "test", "127.0.0.1");
        assertThat(new StaffSession().submitLogin(name, TestUsers.PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void loginWithoutCsrfTokenIsRejected() {
        String name = TestUsers.create(users, Role.FINANCE, "nocsrf");
        StaffSession session = new StaffSession();
        session.get("/login");
        Response response = session.postWithoutToken("/login", Map.of("username", name, "password",
                TestUsers.PASSWORD));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(session.cookie(SessionCookie.NAME)).isNull();
    }

    @Test
    void signOutEndsSession() {
        String name = TestUsers.create(users, Role.ADMIN, "signout");
        StaffSession session = StaffSession.signIn(name, TestUsers.PASSWORD);
        String token = session.cookie(SessionCookie.NAME);
        session.get("/");
        session.post("/logout", Map.of()).then().statusCode(303);

        given().redirects().follow(false).cookie(SessionCookie.NAME, token).when().get("/").then().statusCode(303);
        assertThat(auditActions(name)).contains("LOGIN", "LOGOUT");
    }

    @Test
    void idleSessionExpires() {
        String name = TestUsers.create(users, Role.FINANCE, "idle");
        StaffSession session = StaffSession.signIn(name, TestUsers.PASSWORD);
        QuarkusTransaction.requiringNew().run(() -> db.update("UPDATE admin_sessions SET last_seen_at ="
                + " last_seen_at - interval '31 minutes' WHERE user_id = (SELECT id FROM admin_users WHERE username = ?)",
                name));
        session.get("/").then().statusCode(303);
    }

    @Test
    void auditLogRejectsUpdateAndDelete() {
        String name = TestUsers.create(users, Role.FINANCE, "appendonly");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(
                () -> db.update("UPDATE audit_log SET actor = 'someone else' WHERE subject_id = ?", name)))
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(
                () -> db.update("DELETE FROM audit_log WHERE subject_id = ?", name)))
                .hasStackTraceContaining("append-only");
        assertThat(auditActions(name)).contains("USER_CREATED");
    }

    @Test
    void shortPasswordIsRejected() {
        assertThatThrownBy(() -> users.create("shortpw", "FINANCE", "short", "test", null))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).containsKey("password"));
    }

    @Test
    void readinessIsUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private List<String> auditActions(String username) {
        return db.list("SELECT action FROM audit_log WHERE subject_id = ? ORDER BY id", row -> row.getString(1),
                username);
    }
}
