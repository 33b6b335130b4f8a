package co.malipo.core.sms;

/**
 * Africa's Talking's per-recipient status codes of the messaging API, with what each means for a
 * retry. An HTTP 201 reply can still fail every recipient, so each recipient's code is read.
 */
public enum RecipientStatus {
    PROCESSED(100, Kind.ACCEPTED),
    SENT(101, Kind.ACCEPTED),
    QUEUED(102, Kind.ACCEPTED),
    RISK_HOLD(401, Kind.PERMANENT),
    INVALID_SENDER_ID(402, Kind.CONFIGURATION),
    INVALID_PHONE_NUMBER(403, Kind.PERMANENT),
    UNSUPPORTED_NUMBER_TYPE(404, Kind.PERMANENT),
    /** The account has no credit. Retrying does not help until an operator tops up, so it is not transient. */
    INSUFFICIENT_BALANCE(405, Kind.CONFIGURATION),
    USER_IN_BLACKLIST(406, Kind.PERMANENT),
    COULD_NOT_ROUTE(407, Kind.PERMANENT),
    DO_NOT_DISTURB_REJECTION(409, Kind.PERMANENT),
    INTERNAL_SERVER_ERROR(500, Kind.TRANSIENT),
    GATEWAY_ERROR(501, Kind.TRANSIENT),
    REJECTED_BY_GATEWAY(502, Kind.TRANSIENT);

    /** Consequence of a status code for the message. */
    public enum Kind {
        /** Taken for delivery; the message id is kept. */
        ACCEPTED,
        /** Worth trying again later. */
        TRANSIENT,
        /** This message to this number will never be sent. */
        PERMANENT,
        /** The account or its settings are wrong, so an operator must act. The message fails. */
        CONFIGURATION
    }

    private final int code;
    private final Kind kind;

    RecipientStatus(int code, Kind kind) {
        this.code = code;
        this.kind = kind;
    }

    public int code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    /** Returns the kind of a status code. Codes not listed above are permanent failures. */
    public static Kind kindOf(int code) {
        for (RecipientStatus status : values()) {
            if (status.code == code) {
                return status.kind;
            }
        }
        return Kind.PERMANENT;
    }
}
