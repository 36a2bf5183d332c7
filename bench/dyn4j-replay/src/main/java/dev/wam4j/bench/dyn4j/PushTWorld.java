package dev.wam4j.bench.dyn4j;

import org.dyn4j.collision.CategoryFilter;
import org.dyn4j.dynamics.Body;
import org.dyn4j.dynamics.BodyFixture;
import org.dyn4j.geometry.Capsule;
import org.dyn4j.geometry.Circle;
import org.dyn4j.geometry.Geometry;
import org.dyn4j.geometry.Mass;
import org.dyn4j.geometry.MassType;
import org.dyn4j.geometry.Transform;
import org.dyn4j.geometry.Vector2;
import org.dyn4j.world.World;

/**
 * The PushT world built in dyn4j, as close to the Chipmunk reference as dyn4j allows.
 * Not thread-safe; one instance per thread. A fresh instance per episode mirrors the reference.
 */
final class PushTWorld {
    static final double DT = 0.01;
    static final int SUBSTEPS = 10;
    static final double KP = 100.0;
    static final double KV = 20.0;
    static final double TWO_PI = 2.0 * Math.PI;

    private static final long CAT_WALL = 1, CAT_AGENT = 2, CAT_BLOCK = 4;
    private static final double COG_Y = 45.0;

    private final World<Body> world = new World<>();
    private final Body agent = new Body();
    private final Body block = new Body();
    private final boolean chipmunkOrder;
    // block velocity solved in the previous sub-step (only used in Chipmunk order)
    private double prevVx, prevVy, prevW;

    PushTWorld(SolverConfig cfg) {
        cfg.applyTo(world.getSettings());
        world.setGravity(0.0, 0.0);
        chipmunkOrder = cfg.chipmunkOrder();

        // Walls: Chipmunk segments of radius 2 are exactly capsules (rounded ends of radius 2); length 501 + 2*2.
        addWall(255.5, 5.0, 505.0, 4.0);   // y = 5
        addWall(255.5, 506.0, 505.0, 4.0); // y = 506
        addWall(5.0, 255.5, 4.0, 505.0);   // x = 5
        addWall(506.0, 255.5, 4.0, 505.0); // x = 506

        // Agent: infinite mass body whose velocity we set (dyn4j has no kinematic type); walls filtered out.
        BodyFixture af = agent.addFixture(new Circle(15.0));
        af.setFilter(new CategoryFilter(CAT_AGENT, CAT_BLOCK));
        af.setFriction(0.0);
        af.setRestitution(0.0);
        agent.setMass(MassType.INFINITE);
        agent.setAtRestDetectionEnabled(false);
        agent.getTransform().setTranslation(256.0, 400.0);
        world.addBody(agent);

        // T block: two convex rectangles (CCW), mass 1, moment 3000 about the CoG (0,45), as in the reference.
        addTeePart(Geometry.createPolygon(new Vector2(-60, 0), new Vector2(60, 0), new Vector2(60, 30), new Vector2(-60, 30)));
        addTeePart(Geometry.createPolygon(new Vector2(-15, 30), new Vector2(15, 30), new Vector2(15, 120), new Vector2(-15, 120)));
        block.setMass(new Mass(new Vector2(0.0, COG_Y), 1.0, 3000.0));
        block.setAtRestDetectionEnabled(false);
        block.getTransform().setTranslation(256.0, 300.0);
        world.addBody(block);
    }

    private void addWall(double cx, double cy, double w, double h) {
        Body wall = new Body();
        BodyFixture f = wall.addFixture(new Capsule(w, h));
        f.setFilter(new CategoryFilter(CAT_WALL, CAT_BLOCK));
        f.setFriction(0.0);
        f.setRestitution(0.0);
        wall.setMass(MassType.INFINITE);
        wall.getTransform().setTranslation(cx, cy);
        world.addBody(wall);
    }

    private void addTeePart(org.dyn4j.geometry.Convex c) {
        BodyFixture f = block.addFixture(c);
        f.setFilter(new CategoryFilter(CAT_BLOCK, CAT_WALL | CAT_AGENT | CAT_BLOCK));
        f.setFriction(0.0);
        f.setRestitution(0.0);
    }

    /**
     * Legacy set_state: agent position; block position (angle 0 at that moment); block angle rotating
     * about the CoG (Chipmunk's formula origin = cog_world - R(a)*cog); then one physics step, agent velocity 0.
     */
    void setStateLegacy(double ax, double ay, double bx, double by, double angle) {
        agent.getTransform().setTranslation(ax, ay);
        agent.setLinearVelocity(0.0, 0.0);
        Transform t = block.getTransform();
        double cogX = bx, cogY = by + COG_Y; // current angle is 0: cog world = origin + (0, 45)
        t.setRotation(angle);
        double c = t.getCost(), s = t.getSint();
        t.setTranslation(cogX - (0.0 * c - COG_Y * s), cogY - (0.0 * s + COG_Y * c));
        world.setUpdateRequired(true);
        substep();
    }

    /** One env step: 10 x (PD velocity update of the agent, then one 0.01 s physics sub-step). */
    void step(double tx, double ty) {
        for (int k = 0; k < SUBSTEPS; k++) {
            Vector2 p = agent.getTransform().getTranslation();
            Vector2 v = agent.getLinearVelocity();
            double accx = KP * (tx - p.x) + KV * (0.0 - v.x);
            double accy = KP * (ty - p.y) + KV * (0.0 - v.y);
            agent.setLinearVelocity(v.x + accx * DT, v.y + accy * DT);
            substep();
        }
    }

    private void substep() {
        if (chipmunkOrder) {
            substepChipmunkOrder();
            return;
        }
        // quasi-static: the reference's damping 0 zeroes the block's velocity before the solver each sub-step
        block.setLinearVelocity(0.0, 0.0);
        block.setAngularVelocity(0.0);
        world.step(1);
    }

    /*
     * Chipmunk integrates positions first (with the velocity solved in the previous sub-step), then detects
     * contacts, zeroes the block velocity and solves. dyn4j solves, then integrates. To emulate Chipmunk we
     * move both bodies ourselves, force a fresh detection, let dyn4j solve, keep the solved block velocity
     * for the next sub-step and undo dyn4j's own position integration (position correction still applies).
     */
    private void substepChipmunkOrder() {
        Vector2 av = agent.getLinearVelocity();
        agent.getTransform().translate(av.x * DT, av.y * DT);
        Transform bt = block.getTransform();
        bt.translate(prevVx * DT, prevVy * DT);
        Vector2 c = bt.getTransformed(block.getMass().getCenter());
        bt.rotate(prevW * DT, c.x, c.y);
        double agentX = agent.getTransform().getTranslationX(), agentY = agent.getTransform().getTranslationY();
        block.setLinearVelocity(0.0, 0.0);
        block.setAngularVelocity(0.0);
        world.setUpdateRequired(true);
        double bx = bt.getTranslationX(), by = bt.getTranslationY(), bc = bt.getCost(), bs = bt.getSint();
        world.step(1);
        Vector2 bv = block.getLinearVelocity();
        prevVx = bv.x;
        prevVy = bv.y;
        prevW = block.getAngularVelocity();
        // undo dyn4j's integration: the agent stays where we put it, the block keeps only the
        // position-correction displacement (the difference between dyn4j's result and a pure integration)
        agent.getTransform().setTranslation(agentX, agentY);
        double dx = prevVx * DT, dy = prevVy * DT;
        Transform pure = new Transform();
        pure.setRotation(Math.atan2(bs, bc));
        pure.setTranslation(bx + dx, by + dy);
        Vector2 pc = pure.getTransformed(block.getMass().getCenter());
        pure.rotate(prevW * DT, pc.x, pc.y);
        double corrX = bt.getTranslationX() - pure.getTranslationX();
        double corrY = bt.getTranslationY() - pure.getTranslationY();
        double corrA = bt.getRotationAngle() - pure.getRotationAngle();
        bt.setTranslation(bx + corrX, by + corrY);
        bt.setRotation(Math.atan2(bs, bc));
        Vector2 c2 = bt.getTransformed(block.getMass().getCenter());
        if (corrA != 0.0) bt.rotate(corrA, c2.x, c2.y);
    }

    /** Writes [agent x, agent y, block x, block y, block angle mod 2pi] into out[off..off+5). */
    void state(double[] out, int off) {
        Transform a = agent.getTransform(), b = block.getTransform();
        out[off] = a.getTranslationX();
        out[off + 1] = a.getTranslationY();
        out[off + 2] = b.getTranslationX();
        out[off + 3] = b.getTranslationY();
        double ang = Math.atan2(b.getSint(), b.getCost());
        double m = ang % TWO_PI;
        out[off + 4] = m < 0 ? m + TWO_PI : m;
    }

    double blockX() { return block.getTransform().getTranslationX(); }
    double blockY() { return block.getTransform().getTranslationY(); }
    double blockCos() { return block.getTransform().getCost(); }
    double blockSin() { return block.getTransform().getSint(); }
}
