package org.csphub.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a cluster's ACLs up to an access policy: compares the planned bindings with those the
 * cluster has, and creates only the missing ones, so that applying twice changes nothing the second
 * time. Never deletes: a binding the policy does not ask for is reported as unexpected.
 */
public final class AclApplier {

    private static final Logger LOG = LoggerFactory.getLogger(AclApplier.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;

    /** {@code admin} must connect as a principal allowed to describe and create ACLs (a super user). */
    public AclApplier(final Admin admin) {
        this.admin = admin;
    }

    /** What applying {@code policy} would change. */
    public AclPlan plan(final AccessPolicy policy) throws InterruptedException {
        final List<AclBinding> wanted = AclPlanner.plan(policy);
        final Collection<AclBinding> existing = existing();
        final Set<AclBinding> present = new HashSet<>(existing);
        final List<AclBinding> missing = wanted.stream().filter(binding -> !present.contains(binding)).toList();
        final Set<AclBinding> wantedSet = new HashSet<>(wanted);
        final Set<String> principals = new HashSet<>();
        policy.principals().forEach(name -> principals.add(AclPlanner.userPrincipal(name)));
        final Set<ResourcePattern> resources = new HashSet<>();
        wanted.forEach(binding -> resources.add(binding.pattern()));
        final List<AclBinding> unexpected = new ArrayList<>();
        for (final AclBinding binding : existing) {
            final boolean hubs = principals.contains(binding.entry().principal())
                    || resources.contains(binding.pattern())
                    || binding.pattern().resourceType() == ResourceType.TOPIC
                            && binding.pattern().name().startsWith(AclPlanner.HUB_TOPIC_PREFIX);
            if (hubs && !wantedSet.contains(binding)) {
                unexpected.add(binding);
            }
        }
        unexpected.sort(Comparator.comparing(AclPlanner::describe));
        return new AclPlan(wanted, missing, unexpected);
    }

    /** Creates the missing bindings of {@code policy}; returns the plan as it stood before. */
    public AclPlan apply(final AccessPolicy policy) throws InterruptedException {
        final AclPlan plan = plan(policy);
        if (plan.missing().isEmpty()) {
            LOG.info("Every one of the {} ACLs of the access policy is in place", plan.wanted().size());
            return plan;
        }
        try {
            admin.createAcls(plan.missing()).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The cluster did not create the ACLs within " + TIMEOUT_SECONDS + " s", e);
        }
        awaitVisible(plan.missing());
        LOG.info("Created {} ACLs ({} were in place)", plan.missing().size(),
                plan.wanted().size() - plan.missing().size());
        return plan;
    }

    /**
     * Waits until the broker that answers lists the created bindings. The controller acknowledges an
     * ACL once it is in the metadata log; a broker enforces it only after replaying that log, and a
     * client refused in between would see a spurious authorization failure.
     */
    private void awaitVisible(final List<AclBinding> created) throws InterruptedException {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        long pause = 20;
        while (!new HashSet<>(existing()).containsAll(created)) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("The created ACLs were not visible on the broker within "
                        + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(pause); // back-off between polls of the broker's ACLs
            pause = Math.min(500, pause * 2);
        }
    }

    private Collection<AclBinding> existing() throws InterruptedException {
        try {
            return admin.describeAcls(AclBindingFilter.ANY).values().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClusterAuthorizationException) {
                throw new IllegalStateException("This principal may not read the cluster's ACLs: connect as a super "
                        + "user (the administrator)", e.getCause());
            }
            if (e.getCause() instanceof SecurityDisabledException) {
                throw new IllegalStateException("The cluster has no authorizer: ACLs would not be enforced. "
                        + "Configure authorizer.class.name on the brokers first (see docs/security.md)", e.getCause());
            }
            throw new IllegalStateException("Cannot read the cluster's ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The cluster did not list its ACLs within " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
