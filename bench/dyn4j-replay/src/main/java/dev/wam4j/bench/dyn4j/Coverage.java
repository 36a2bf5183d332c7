package dev.wam4j.bench.dyn4j;

/**
 * PushT coverage: area(block T intersect goal T) / 6300, as the sum of the four convex
 * rectangle-rectangle clip areas (Sutherland-Hodgman). Not thread-safe (scratch buffers).
 */
final class Coverage {
    private static final double[][] TEE = {
        {-60, 0, 60, 0, 60, 30, -60, 30},
        {-15, 30, 15, 30, 15, 120, -15, 120}};
    static final double AREA = 6300.0;

    private final double[][] goal = new double[2][8];
    private final double[][] blk = new double[2][8];
    private final double[] bufA = new double[64], bufB = new double[64];

    Coverage() {
        place(goal, 256.0, 256.0, Math.cos(Math.PI / 4), Math.sin(Math.PI / 4));
    }

    private static void place(double[][] dst, double x, double y, double c, double s) {
        for (int k = 0; k < 2; k++)
            for (int i = 0; i < 4; i++) {
                double vx = TEE[k][2 * i], vy = TEE[k][2 * i + 1];
                dst[k][2 * i] = c * vx - s * vy + x;
                dst[k][2 * i + 1] = s * vx + c * vy + y;
            }
    }

    double of(double x, double y, double c, double s) {
        place(blk, x, y, c, s);
        double inter = 0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) inter += clipArea(blk[i], goal[j]);
        return inter / AREA;
    }

    double ofPose(double x, double y, double angle) {
        return of(x, y, Math.cos(angle), Math.sin(angle));
    }

    private static double signedArea(double[] p, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            s += p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
        }
        return 0.5 * s;
    }

    private double clipArea(double[] subj, double[] clip) {
        double[] in = bufA, out = bufB;
        System.arraycopy(subj, 0, in, 0, 8);
        int n = 4;
        double orient = signedArea(clip, 4) >= 0 ? 1.0 : -1.0;
        for (int e = 0; e < 4 && n > 0; e++) {
            double ax = clip[2 * e], ay = clip[2 * e + 1];
            double bx = clip[2 * ((e + 1) % 4)], by = clip[2 * ((e + 1) % 4) + 1];
            int m = 0;
            for (int j = 0; j < n; j++) {
                int q = (j + 1) % n;
                double px = in[2 * j], py = in[2 * j + 1], qx = in[2 * q], qy = in[2 * q + 1];
                double sp = orient * ((bx - ax) * (py - ay) - (by - ay) * (px - ax));
                double sq = orient * ((bx - ax) * (qy - ay) - (by - ay) * (qx - ax));
                if (sq >= 0) {
                    if (sp < 0) {
                        double t = sp / (sp - sq);
                        out[2 * m] = px + t * (qx - px);
                        out[2 * m + 1] = py + t * (qy - py);
                        m++;
                    }
                    out[2 * m] = qx;
                    out[2 * m + 1] = qy;
                    m++;
                } else if (sp >= 0) {
                    double t = sp / (sp - sq);
                    out[2 * m] = px + t * (qx - px);
                    out[2 * m + 1] = py + t * (qy - py);
                    m++;
                }
            }
            double[] tmp = in; in = out; out = tmp;
            n = m;
        }
        return n >= 3 ? Math.abs(signedArea(in, n)) : 0.0;
    }
}
