import dev.wam4j.data.zarr.*;
import dev.wam4j.eval.turing.*;
import dev.wam4j.model.mlp.*;
import dev.wam4j.sim.pusht.PushTEnv;
import java.nio.file.Path;
import java.util.*;

/** BC on human demonstrations (one parity), state + last two displacements -> next action relative to agent; judged on the other parity. */
public class Bc {
  static final int IN = 10, OUT = 2;
  static void feat(double ax, double ay, double bx, double by, double ba, double d1x, double d1y, double d2x, double d2y, float[] o, int off) {
    o[off]=(float)((ax-256)/128); o[off+1]=(float)((ay-256)/128); o[off+2]=(float)((bx-256)/128); o[off+3]=(float)((by-256)/128);
    o[off+4]=(float)Math.cos(ba); o[off+5]=(float)Math.sin(ba); o[off+6]=(float)(d1x/20); o[off+7]=(float)(d1y/20); o[off+8]=(float)(d2x/20); o[off+9]=(float)(d2y/20);
  }
  public static void main(String[] a) throws Exception {
    Path z = Path.of(System.getenv().getOrDefault("WAM4J_DATA", "../shared/data"), "pusht_cchi_v7_replay.zarr");
    ReplayBuffer b = ReplayBuffer.open(z);
    float[] st = b.array("state").readFloats(), act = b.array("action").readFloats();
    int trainPar = Integer.parseInt(a[0]); int steps = Integer.parseInt(a[1]); int hidden = Integer.parseInt(a[2]);
    List<float[]> X = new ArrayList<>(); List<float[]> Y = new ArrayList<>();
    for (int e = 0; e < b.episodeCount(); e++) {
      if (e % 2 != trainPar) continue;
      EpisodeRange r = b.episodeRange(e);
      for (int t = r.start(); t < r.end(); t++) {
        int s=t*5; double d1x=0,d1y=0,d2x=0,d2y=0;
        if (t-1>=r.start()){d1x=st[s]-st[s-5]; d1y=st[s+1]-st[s-4];}
        if (t-2>=r.start()){d2x=st[s-5]-st[s-10]; d2y=st[s-4]-st[s-9];}
        float[] x = new float[IN]; feat(st[s],st[s+1],st[s+2],st[s+3],st[s+4],d1x,d1y,d2x,d2y,x,0);
        X.add(x); Y.add(new float[]{(act[2*t]-st[s])/20f, (act[2*t+1]-st[s+1])/20f});
      }
    }
    Mlp net = new Mlp(IN, hidden, hidden, OUT);
    float[] p = new float[net.parameters()], g = new float[net.parameters()], tr = new float[net.transposedSize()];
    net.initialise(p, 0, new SplitMix(0), 1.0);
    Adam opt = new Adam(p.length);
    int B = 256; Mlp.Workspace ws = net.workspace(B); SplitMix rng = new SplitMix(1);
    long t0=System.nanoTime();
    for (int it = 0; it < steps; it++) {
      double loss=0;
      for (int i = 0; i < B; i++) { int k=(int)(rng.nextDouble()*X.size()); System.arraycopy(X.get(k),0,ws.input(),i*IN,IN); System.arraycopy(Y.get(k),0,tmpY(),i*OUT,OUT); }
      net.forward(p,0,ws,B);
      float[] out = ws.output(), og = ws.outputGradient();
      for (int i=0;i<B*OUT;i++){ double d=out[i]-ty[i]; loss+=d*d; og[i]=(float)(2*d/B); }
      Arrays.fill(g,0); net.transpose(p,0,tr); net.backward(tr,ws,B,g,0);
      double lr = 1e-3 * (it < steps*0.8 ? 1 : 0.1);
      opt.step(p,g,lr);
      if (it % (steps/5) == 0) System.out.printf("it %d loss %.4f%n", it, loss/B);
    }
    System.out.printf("trained %d samples in %.1f s%n", X.size(), (System.nanoTime()-t0)/1e9);
    // judge against the other parity
    List<PusherTrace> human = new ArrayList<>();
    for (PusherTrace t : TuringTest.humanTraces(z, 0)) if (t.seed() % 2 != trainPar) human.add(t);
    MotionFeatures mf = MotionFeatures.pushT();
    PushTEnv env = PushTEnv.reference();
    Mlp.Workspace w1 = net.workspace(1);
    int n = human.size(); double[][] x = new double[2*n][]; boolean[] rob = new boolean[2*n]; long[] gr = new long[2*n]; int succ=0;
    for (int i = 0; i < n; i++) {
      PusherTrace ht = human.get(i);
      env.reset(ht.seed());
      double px=env.agentX(), py=env.agentY(), d1x=0,d1y=0,d2x=0,d2y=0;
      List<double[]> sts = new ArrayList<>();
      while (sts.size() < ht.length() && !env.terminated()) {
        double[] s = env.state(); sts.add(s);
        if (sts.size()>1){ d2x=d1x; d2y=d1y; d1x=s[0]-px; d1y=s[1]-py; }
        px=s[0]; py=s[1];
        feat(s[0],s[1],s[2],s[3],s[4],d1x,d1y,d2x,d2y,w1.input(),0);
        net.forward(p,0,w1,1);
        env.step(s[0]+20*w1.output()[0], s[1]+20*w1.output()[1]);
      }
      if (env.terminated()) succ++;
      double[][] cc = new double[5][sts.size()];
      for (int t = 0; t < sts.size(); t++) for (int q = 0; q < 5; q++) cc[q][t] = sts.get(t)[q];
      x[2*i]=mf.of(ht); x[2*i+1]=mf.of(new PusherTrace("robot", ht.seed(), cc[0],cc[1],cc[2],cc[3],cc[4])); rob[2*i+1]=true; gr[2*i]=gr[2*i+1]=ht.seed();
    }
    TuringJudge.Verdict v = TuringJudge.judge(x, rob, gr, MotionFeatures.NAMES, 5, 0);
    StringBuilder sb = new StringBuilder();
    for (var f : v.features().subList(0,6)) sb.append(String.format(" %s %.2f(%.3g/%.3g)", f.name(), f.auc(), f.humanMean(), f.robotMean()));
    System.out.printf("BC h%d %d steps: auc %.3f succ %d/%d |%s%n", hidden, steps, v.rocAuc(), succ, n, sb);
  }
  static float[] ty = new float[256*2];
  static float[] tmpY() { return ty; }
}
