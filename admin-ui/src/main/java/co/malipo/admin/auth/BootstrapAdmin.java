package co.malipo.admin.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import co.malipo.admin.AdminConfig;
import co.malipo.core.invoice.ValidationException;
import io.quarkus.runtime.StartupEvent;
import org.jboss.logging.Logger;

/** Creates the first admin from {@code MALIPO_ADMIN_USERNAME} and {@code MALIPO_ADMIN_PASSWORD} when no user exists. */
@ApplicationScoped
public class BootstrapAdmin {

    private static final Logger LOG = Logger.getLogger(BootstrapAdmin.class);

    void onStart(@Observes StartupEvent event, AdminConfig config, UserService users, UserRepository repository) {
        if (config.bootstrapUsername().isEmpty() || config.bootstrapPassword().isEmpty()) {
            if (!repository.anyExists()) {
                LOG.warn("No dashboard user exists and MALIPO_ADMIN_USERNAME or MALIPO_ADMIN_PASSWORD is not set,"
                        + " so nobody can sign in. Set both and restart to create the first admin.");
            }
            return;
        }
        try {
            if (users.bootstrapAdmin(config.bootstrapUsername().get(), config.bootstrapPassword().get())) {
                LOG.infof("Created the first dashboard admin %s from the environment", config.bootstrapUsername().get());
            }
        } catch (ValidationException e) {
            LOG.errorf("The first admin from MALIPO_ADMIN_USERNAME and MALIPO_ADMIN_PASSWORD is invalid and was not"
                    + " created: %s", e.errors());
        }
    }
}
