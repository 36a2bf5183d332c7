package dev.wam4j.bench.dyn4j;

import org.dyn4j.dynamics.Settings;

/**
 * The dyn4j solver settings that can be tuned; everything else is pinned to the PushT reference.
 *
 * @param positionIterations position-constraint iterations (dyn4j's penetration correction; Chipmunk has none,
 *     it uses bias velocities instead)
 * @param baumgarte fraction of the remaining penetration corrected per position iteration
 * @param linearTolerance allowed penetration (slop), world units
 * @param maxLinearCorrection cap on one position correction, world units
 * @param warmStart whether accumulated impulses carry over between sub-steps
 * @param warmStartDistance how far (world units) a contact point may move and still count as the same contact
 * @param chipmunkOrder when true, emulate Chipmunk's step order (positions integrated from the previous
 *     sub-step's velocities before collision detection) instead of dyn4j's (solve, then integrate)
 */
record SolverConfig(int positionIterations, double baumgarte, double linearTolerance,
                    double maxLinearCorrection, boolean warmStart, double warmStartDistance,
                    boolean chipmunkOrder) {

    static final int VELOCITY_ITERATIONS = 10;

    static SolverConfig defaults() {
        return new SolverConfig(2, 0.2, 0.1, 0.2, true, 0.01, false);
    }

    void applyTo(Settings s) {
        s.setStepFrequency(PushTWorld.DT);
        s.setVelocityConstraintSolverIterations(VELOCITY_ITERATIONS);
        s.setPositionConstraintSolverIterations(positionIterations);
        s.setBaumgarte(baumgarte);
        s.setLinearTolerance(linearTolerance);
        s.setMaximumLinearCorrection(maxLinearCorrection);
        s.setWarmStartingEnabled(warmStart);
        s.setMaximumWarmStartDistance(warmStartDistance);
        // dyn4j's defaults assume metres: 2 m max translation per step would clamp the agent (it can move
        // several units per 0.01 s sub-step); Chipmunk has no such clamp.
        s.setMaximumTranslation(1.0e6);
        s.setMaximumRotation(1.0e6);
        s.setAtRestDetectionEnabled(false);
        s.setContinuousDetectionMode(org.dyn4j.dynamics.ContinuousDetectionMode.NONE);
    }

    String label() {
        return String.format("pos=%d baum=%.3g slop=%.3g maxcorr=%.3g warm=%s wsd=%.3g order=%s",
                positionIterations, baumgarte, linearTolerance, maxLinearCorrection, warmStart, warmStartDistance,
                chipmunkOrder ? "chipmunk" : "dyn4j");
    }
}
