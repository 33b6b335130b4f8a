package co.malipo.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import co.malipo.admin.auth.Role;
import co.malipo.admin.auth.UserService;
import co.malipo.core.invoice.Channel;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class AdminPagesTest {

    private static final ZoneId EAT = ZoneId.of("Africa/Nairobi");

    @Inject
    UserService users;
    @Inject
    TestInvoices data;
    @Inject
    Db db;

    @Test
    void overviewCountsTodayByEatDay() {
        NewMerchant merchant = data.merchant("Overview Shop");
        LocalDate today = LocalDate.now(EAT);
        Instant earlyToday = today.atTime(0, 5).atZone(EAT).toInstant();
        Instant lateYesterday = today.minusDays(1).atTime(23, 55).atZone(EAT).toInstant();
        String complete = data.parked(merchant.merchantId(), Channel.USSD, "254709000201", "ov-1", 1234).id();
        data.settle(complete, "COMPLETE", earlyToday, "OVRCPT0001");
        String failed = data.parked(merchant.merchantId(), Channel.API, "254709000202", "ov-2", 50).id();
        data.settle(failed, "FAILED", lateYesterday, null);
        QuarkusTransaction.requiringNew().run(() -> db.update("UPDATE invoices SET environment = 'LIVE'"
                + " WHERE id IN (?, ?)", complete, failed));

        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "overview"),
                TestUsers.PASSWORD);
        String html = session.get("/?environment=LIVE").then().statusCode(200).extract().asString();

        String todaySection = html.substring(html.indexOf("<h2>Today"), html.indexOf("<h2>Yesterday"));
        assertThat(todaySection).contains("1 invoices, KES 1,234.00; success rate 100.0%");
        String yesterdaySection = html.substring(html.indexOf("<h2>Yesterday"), html.indexOf("<h2>Collections"));
        assertThat(yesterdaySection).contains("1 invoices, KES 50.00; success rate 0.0%");
        assertThat(html).contains("<td>" + today + "</td><td class=\"num\">1</td><td class=\"num\">1,234.00</td>");
    }

    @Test
    void overviewRejectsUnknownEnvironment() {
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "overviewenv"),
                TestUsers.PASSWORD);

        Response invalid = session.get("/?environment=PROD");

        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.asString()).contains("Use LIVE or TEST");
        assertThat(session.get("/").statusCode()).isEqualTo(200);
        assertThat(session.get("/?environment=TEST").asString()).contains("TEST");
    }

    @Test
    void usersPageIsForAdminsOnly() {
        StaffSession finance = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "notadmin"),
                TestUsers.PASSWORD);
        assertThat(finance.get("/users").statusCode()).isEqualTo(403);
        assertThat(finance.get("/audit").statusCode()).isEqualTo(403);

        String admin = TestUsers.create(users, Role.ADMIN, "useradmin");
        StaffSession session = StaffSession.signIn(admin, TestUsers.PASSWORD);
        session.get("/users").then().statusCode(200);
        Response created = session.post("/users", Map.of("username", "new-support-user", "role", "SUPPORT",
                "password", "a long enough password"));
        assertThat(created.statusCode()).isEqualTo(303);
        Response invalid = session.post("/users", Map.of("username", "x", "role", "BOSS", "password", "short"));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.asString()).contains("username").contains("role").contains("password");

        String audit = session.get("/audit").then().statusCode(200).extract().asString();
        assertThat(audit).contains("USER_CREATED").contains("new-support-user");
        StaffSession.signIn("new-support-user", "a long enough password");
    }
}
