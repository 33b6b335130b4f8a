package co.malipo.admin.auth;

/**
 * Dashboard roles. ADMIN may do everything, FINANCE may read, export, reconcile and retry, and
 * SUPPORT may only read, with customers' phone numbers masked.
 */
public enum Role {
    ADMIN,
    FINANCE,
    SUPPORT;

    /** Role names for {@code @RolesAllowed}. */
    public static final String ADMIN_NAME = "ADMIN";
    public static final String FINANCE_NAME = "FINANCE";
    public static final String SUPPORT_NAME = "SUPPORT";
}
