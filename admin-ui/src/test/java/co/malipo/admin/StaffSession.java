package co.malipo.admin;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A browser-like client for the tests: it keeps the cookies it is given and reads the CSRF token
 * from the last page's hidden form field, as a browser submitting the form would send it.
 */
final class StaffSession {

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private final Map<String, String> cookies = new HashMap<>();
    private String csrfToken;

    /** Signs in through the form and returns the session, failing the test when sign-in fails. */
    static StaffSession signIn(String username, String password) {
        StaffSession session = new StaffSession();
        Response result = session.submitLogin(username, password);
        if (result.statusCode() != 303) {
            throw new AssertionError("sign-in of " + username + " answered " + result.statusCode() + ": "
                    + result.asString());
        }
        return session;
    }

    /** Loads the sign-in page and posts the form with its CSRF token. */
    Response submitLogin(String username, String password) {
        get("/login");
        return post("/login", Map.of("username", username, "password", password));
    }

    /** Sends a GET with the session's cookies and, for an HTML page, keeps its CSRF token. */
    Response get(String path) {
        Response response = request().get(path);
        remember(response);
        return response;
    }

    /** Sends a GET with one query parameter, which RestAssured percent-encodes, such as a NUL as %00. */
    Response getWithQuery(String path, String name, String value) {
        Response response = request().queryParam(name, value).get(path);
        remember(response);
        return response;
    }

    /** Posts a form with the CSRF token of the last page loaded. */
    Response post(String path, Map<String, String> form) {
        Map<String, String> withToken = new HashMap<>(form);
        if (csrfToken != null) {
            withToken.put("csrf-token", csrfToken);
        }
        return postWithoutToken(path, withToken);
    }

    /** Posts a form exactly as given, without adding the CSRF token. */
    Response postWithoutToken(String path, Map<String, String> form) {
        RequestSpecification request = request().contentType("application/x-www-form-urlencoded; charset=UTF-8");
        form.forEach(request::formParam);
        Response response = request.post(path);
        remember(response);
        return response;
    }

    /** Posts a form whose fields may repeat, such as ticked checkboxes, with the CSRF token of the last page loaded. */
    Response postRepeated(String path, Map<String, java.util.List<String>> form) {
        RequestSpecification request = request().contentType("application/x-www-form-urlencoded; charset=UTF-8");
        if (csrfToken != null) {
            request.formParam("csrf-token", csrfToken);
        }
        form.forEach((name, values) -> request.formParam(name, values.toArray()));
        Response response = request.post(path);
        remember(response);
        return response;
    }

    String cookie(String name) {
        return cookies.get(name);
    }

    private RequestSpecification request() {
        return given().redirects().follow(false).cookies(cookies);
    }

    private void remember(Response response) {
        response.getCookies().forEach((name, value) -> {
            if (value == null || value.isEmpty()) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        });
        String contentType = response.contentType();
        if (contentType != null && contentType.startsWith("text/html")) {
            Matcher matcher = CSRF_FIELD.matcher(response.asString());
            if (matcher.find()) {
                csrfToken = matcher.group(1);
            }
        }
    }
}
