package co.malipo.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import co.malipo.admin.auth.Role;
import co.malipo.admin.auth.UserService;
import co.malipo.core.invoice.Channel;
import co.malipo.core.merchant.NewMerchant;
import co.malipo.core.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class InvoiceListTest {

    private static final ZoneId EAT = ZoneId.of("Africa/Nairobi");
    private static final Pattern INVOICE_LINK = Pattern.compile("href=\"/invoices/([0-9A-Z]{10})\"");

    @Inject
    UserService users;
    @Inject
    TestInvoices data;
    @Inject
    Db db;

    private static NewMerchant merchant;
    private static String quotedMerchantName;

    @BeforeEach
    void createData() {
        if (merchant != null) {
            return;
        }
        quotedMerchantName = "Mama \"Mboga\" & 'Sons' <b>";
        merchant = data.merchant(quotedMerchantName);
        LocalDate day = LocalDate.of(2026, 3, 10);
        // 60 API invoices on 10 March (EAT), three per minute from 08:00, to 254711000000..59.
        for (int i = 0; i < 60; i++) {
            String id = data.parked(merchant.merchantId(), Channel.API, String.format("2547110000%02d", i),
                    "order-" + i, 100 + i).id();
            Instant at = day.atTime(8, i / 3, (i % 3) * 10).atZone(EAT).toInstant();
            data.settle(id, i % 2 == 0 ? "COMPLETE" : "FAILED", at, i % 2 == 0 ? String.format("LSTRCP%04d", i) : null);
        }
        // Late on 11 March EAT but still 11 March: 23:30 EAT is 20:30 UTC.
        String ussd = data.parked(merchant.merchantId(), Channel.USSD, "254722000001", "=HYPERLINK(\"x\")", 500).id();
        data.settle(ussd, "COMPLETE", LocalDate.of(2026, 3, 11).atTime(23, 30).atZone(EAT).toInstant(), "LSTUSSD001");
        String script = data.parked(merchant.merchantId(), Channel.SMS, "254733000001", "<script>alert(1)</script>",
                250).id();
        data.settle(script, "PENDING", LocalDate.of(2026, 3, 12).atTime(0, 30).atZone(EAT).toInstant(), null);
    }

    @Test
    void keysetPagesCoverEveryMatchOnce() {
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "list"), TestUsers.PASSWORD);
        List<String> seen = new ArrayList<>();
        String path = "/invoices?merchant=" + merchant.merchantId();
        int pages = 0;
        while (path != null) {
            Response page = session.get(path);
            assertThat(page.statusCode()).isEqualTo(200);
            String html = page.asString();
            Matcher links = INVOICE_LINK.matcher(html);
            while (links.find()) {
                seen.add(links.group(1));
            }
            Matcher next = Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"").matcher(html);
            path = next.find() ? next.group(1).replace("&amp;", "&") : null;
            pages++;
        }
        assertThat(pages).as("50 rows per page").isEqualTo(2);
        assertThat(seen).hasSize(62).doesNotHaveDuplicates();
    }

    @Test
    void filtersByEatDayStateAndPrefixes() {
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "filter"),
                TestUsers.PASSWORD);
        String base = "/invoices?merchant=" + merchant.merchantId();

        assertThat(ids(session.get(base + "&from=2026-03-11&to=2026-03-11"))).as("11 March EAT").hasSize(1);
        assertThat(ids(session.get(base + "&from=2026-03-10&to=2026-03-10&state=FAILED"))).hasSize(30);
        assertThat(ids(session.get(base + "&phone=07110000&state=COMPLETE"))).as("local-form phone prefix").hasSize(30);
        assertThat(ids(session.get(base + "&phone=254-711-000-01"))).as("hyphens, 254711000010..19").hasSize(10);
        assertThat(ids(session.get(base + "&phone=2547110000%2B")).size()).as("rejected phone").isZero();
        assertThat(ids(session.get(base + "&api_ref=order-1"))).as("order-1 and order-10..19").hasSize(11);
        assertThat(ids(session.get(base + "&api_ref=order_"))).as("_ is not a wildcard").isEmpty();
        assertThat(ids(session.get(base + "&receipt=lstrcp0004"))).hasSize(1);
        assertThat(ids(session.get(base + "&channel=SMS"))).hasSize(1);
    }

    @Test
    void invalidFilterAnswers400NamingField() {
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "badfilter"),
                TestUsers.PASSWORD);
        Response response = session.get("/invoices?state=PAID&from=10-03-2026");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.asString()).contains("Unknown state &#39;PAID&#39;").contains("Use the form YYYY-MM-DD");
        assertThat(session.get("/invoices?after=garbage").statusCode()).isEqualTo(400);
    }

    @Test
    void scriptAndQuotesRenderAsText() {
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "escape"),
                TestUsers.PASSWORD);
        String html = session.get("/invoices?merchant=" + merchant.merchantId() + "&channel=SMS").asString();
        assertThat(html).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).doesNotContain("<b>").contains("Mama &quot;Mboga&quot; &amp; &#39;Sons&#39; &lt;b&gt;");
    }

    @Test
    void supportSeesMaskedPhonesAndCannotExport() {
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.SUPPORT, "mask"), TestUsers.PASSWORD);
        String html = session.get("/invoices?merchant=" + merchant.merchantId() + "&channel=USSD").asString();
        assertThat(html).contains("2547*****001").doesNotContain("254722000001");
        assertThat(html).doesNotContain("id=\"export\"");
        assertThat(session.get("/invoices/export.csv").statusCode()).isEqualTo(403);
    }

    @Test
    void exportContainsExactlyFilterMatches() throws Exception {
        String name = TestUsers.create(users, Role.FINANCE, "export");
        StaffSession session = StaffSession.signIn(name, TestUsers.PASSWORD);
        Response response = session.get("/invoices/export.csv?merchant=" + merchant.merchantId()
                + "&from=2026-03-10&to=2026-03-11");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Disposition")).startsWith("attachment;");

        List<List<String>> rows = parseCsv(response.asString());
        assertThat(rows.get(0)).startsWith("invoice_id", "created_at_eat");
        assertThat(rows).as("header and 61 invoices of 10 and 11 March, more than one page").hasSize(62);
        List<String> ussdRow = rows.stream().filter(row -> row.contains("LSTUSSD001")).findFirst().orElseThrow();
        assertThat(ussdRow).contains("'=HYPERLINK(\"x\")", "254722000001", quotedMerchantName, "500.00");
        assertThat(db.list("SELECT action FROM audit_log WHERE actor = ?", row -> row.getString(1), name))
                .contains("INVOICES_EXPORTED");
    }

    private static List<String> ids(Response page) {
        List<String> found = new ArrayList<>();
        Matcher links = INVOICE_LINK.matcher(page.asString());
        while (links.find()) {
            found.add(links.group(1));
        }
        return found;
    }

    private static List<List<String>> parseCsv(String text) throws Exception {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> iterator = mapper.readerForListOf(String.class)
                .readValues(new StringReader(text))) {
            while (iterator.hasNext()) {
                rows.add(iterator.next());
            }
        }
        return rows;
    }

    @Test
    void unstorableFilterValuesGet400() {
        StaffSession session = StaffSession.signIn(TestUsers.create(users, Role.FINANCE, "nul"), TestUsers.PASSWORD);

        for (String filter : List.of("api_ref", "merchant", "receipt", "invoice")) {
            Response page = session.getWithQuery("/invoices", filter, "a\u0000b");
            assertThat(page.statusCode()).as("NUL in %s", filter).isEqualTo(400);
            assertThat(page.asString()).as("reason for %s", filter).contains("NUL");
        }
        assertThat(session.getWithQuery("/invoices/export.csv", "api_ref", "a\u0000b").statusCode()).isEqualTo(400);
    }

    @Test
    void badlyEncodedFormGets400() {
        Response response = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .body("username=%ZZ&password=x").post("/login");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.asString()).contains("not valid URL encoding");
    }
}
