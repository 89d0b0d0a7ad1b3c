package org.csphub.access;

import java.util.List;
import org.apache.kafka.common.acl.AclBinding;

/**
 * An access policy's ACLs against a cluster's.
 *
 * @param wanted every binding the policy asks for
 * @param missing the wanted bindings the cluster does not have yet
 * @param unexpected bindings on the hub's resources or principals that the policy does not ask for
 *     (left in place: someone made them by hand, and only a person should remove them)
 */
public record AclPlan(List<AclBinding> wanted, List<AclBinding> missing, List<AclBinding> unexpected) {

    public AclPlan {
        wanted = List.copyOf(wanted);
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
    }

    /** Whether the cluster already has every wanted binding. */
    public boolean isComplete() {
        return missing.isEmpty();
    }
}
