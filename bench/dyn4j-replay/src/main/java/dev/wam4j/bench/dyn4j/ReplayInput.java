package dev.wam4j.bench.dyn4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The flat replay input written by the reference harness's export_dataset.py ("PUSHTIN1", little endian):
 * int64 n_episodes, n_frames; int64 episode_ends[n_episodes]; float64 state[n_frames][5];
 * float64 action[n_frames][2]; float64 n_contacts[n_frames]; float64 seed_state[n_episodes][5]
 * (numpy RandomState(episode) legacy reset draws).
 */
record ReplayInput(long[] ends, double[] state, double[] action, double[] seedState) {

    static ReplayInput read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        b.get(magic);
        if (!new String(magic, java.nio.charset.StandardCharsets.US_ASCII).equals("PUSHTIN1"))
            throw new IllegalArgumentException(file + ": not a PUSHTIN1 file");
        long ne = b.getLong(), nf = b.getLong();
        if (ne <= 0 || nf <= 0 || ne > 1_000_000 || nf > 10_000_000)
            throw new IllegalArgumentException(file + ": bad header n_episodes=" + ne + " n_frames=" + nf);
        long expect = 24 + 8 * (ne + 5 * nf + 2 * nf + nf + 5 * ne);
        if (b.capacity() != expect)
            throw new IllegalArgumentException(file + ": size " + b.capacity() + " != expected " + expect);
        long[] ends = new long[(int) ne];
        for (int i = 0; i < ne; i++) ends[i] = b.getLong();
        if (ends[(int) ne - 1] != nf) throw new IllegalArgumentException(file + ": last episode_end " + ends[(int) ne - 1] + " != n_frames " + nf);
        double[] state = doubles(b, 5 * (int) nf);
        double[] action = doubles(b, 2 * (int) nf);
        doubles(b, (int) nf); // n_contacts: not used here
        double[] seed = doubles(b, 5 * (int) ne);
        return new ReplayInput(ends, state, action, seed);
    }

    private static double[] doubles(ByteBuffer b, int n) {
        double[] d = new double[n];
        b.asDoubleBuffer().get(d);
        b.position(b.position() + 8 * n);
        return d;
    }

    int episodes() { return ends.length; }
    int start(int e) { return e == 0 ? 0 : (int) ends[e - 1]; }
    int length(int e) { return (int) ends[e] - start(e); }
}
