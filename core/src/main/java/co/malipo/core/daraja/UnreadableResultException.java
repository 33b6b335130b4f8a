package co.malipo.core.daraja;

/** A Daraja body that lacks the fields a result must have. */
public class UnreadableResultException extends RuntimeException {

    public UnreadableResultException(String message) {
        super(message);
    }

    public UnreadableResultException(String message, Throwable cause) {
        super(message, cause);
    }
}
