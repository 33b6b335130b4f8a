package co.malipo.ussd;

/**
 * One Africa's Talking USSD callback. {@code phone} is already normalised to {@code 2547XXXXXXXX} or
 * {@code 2541XXXXXXXX}. {@code text} is everything the customer typed in this session, joined with {@code *}.
 */
public record UssdRequest(String sessionId, String serviceCode, String phone, String text, String networkCode) {
}
