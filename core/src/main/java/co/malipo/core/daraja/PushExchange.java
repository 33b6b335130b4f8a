package co.malipo.core.daraja;

/** A push as sent, without its {@code Password}, and what came of it. */
public record PushExchange(String sanitisedRequest, PushReply reply) {
}
