/**
 * A small 2D rigid-body engine with the contact semantics of Chipmunk 7, the engine under pymunk
 * and therefore under the reference PushT environment.
 *
 * <p>Why not an existing Java engine: the recorded PushT demonstrations are reproducible to float32
 * precision only if every step repeats the reference's arithmetic — the same broad-phase pair
 * order, GJK/EPA closest points, contact hashing and warm starting, and the same sequential-impulse
 * iterations in the same order. This package implements those algorithms from their description (a
 * dynamic AABB tree with cached pairs, GJK/EPA, edge clipping, Catto's sequential impulses with
 * bias velocities) for the scenes wam4j needs: static segments, one kinematic circular agent and
 * dynamic bodies made of convex polygons. The measurement that decided this is in docs/RESULTS.md.
 *
 * <p>Why {@code Math} and not {@code StrictMath} for sin, cos and pow: the reference is C on glibc,
 * whose results HotSpot's intrinsics match on this platform while fdlibm's sometimes differ in the
 * last bit, and contacts amplify one bit into visible drift. The guard is {@code
 * DemonstrationReplayTest} (data module): every recorded value of the 206 demonstrations must be
 * reproduced at float32, so a JDK or CPU whose math differs fails CI instead of drifting.
 *
 * <p>The parts, one job each: {@code World} checks its inputs and runs a step in the reference's
 * order (integrate positions, detect collisions, solve contacts); {@code Bodies} and {@code Shapes}
 * are the tables (flat primitive columns, one row per body or shape, with the pose transforms and
 * cached world geometry); {@code BroadPhase} finds overlapping pairs and {@code NarrowPhase} their
 * contact points; {@code ContactSolver} keeps the arbiters and solves them by sequential impulses.
 * The solver holds the body table's own arrays in final fields, so its inner loop is plain array
 * arithmetic with no indirection through the table objects.
 *
 * <p>Units are the reference's: world units (PushT: a 512 x 512 world, y down), seconds, radians. A
 * {@link dev.wam4j.sim.physics.World} is not thread-safe; a vector environment owns one per
 * instance. Stepping allocates nothing.
 */
package dev.wam4j.sim.physics;
