package dev.tongxing.hub.fleet;

import java.util.function.Consumer;

/** How this replica learns the size of its fleet; {@link LeaseMembership} in a fleet. */
public interface FleetMembership {

    /** The current view. */
    FleetView view();

    /** Called with every new view, on the membership's thread. */
    void onChange(Consumer<FleetView> listener);

    /** One process that is the whole fleet ({@code tongxing.fleet.leases.enabled=false}). */
    static FleetMembership alone() {
        return new FleetMembership() {
            @Override
            public FleetView view() {
                return FleetView.alone();
            }

            @Override
            public void onChange(Consumer<FleetView> listener) {
                // never changes
            }
        };
    }
}
