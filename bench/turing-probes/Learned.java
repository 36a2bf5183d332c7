import dev.wam4j.data.zarr.*;
import dev.wam4j.eval.turing.*;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import java.nio.file.Path;
import java.util.*;

/** Fits a linear AR model of human pointer motion towards the pointer T steps ahead; drives the expert through it. */
public class Learned {
  public static void main(String[] a) throws Exception {
    Path z = Path.of(System.getenv().getOrDefault("WAM4J_DATA", "../shared/data"), "pusht_cchi_v7_replay.zarr");
    ReplayBuffer b = ReplayBuffer.open(z);
    float[] act = b.array("action").readFloats();
    int fitPar = Integer.parseInt(a[0]); // fit on this parity, judge on it too (validation)
    for (int k = 1; k < a.length; k++) {
      String[] p = a[k].split(":");
      int T = Integer.parseInt(p[0]); double noise = Double.parseDouble(p[1]);
      // least squares: d_{t+1} = c1 d_t + c2 d_{t-1} + c3 (a_{t+T} - a_t), per axis stacked
      double[][] xtx = new double[3][3]; double[] xty = new double[3];
      List<double[]> resid = new ArrayList<>();
      List<double[]> rows = new ArrayList<>();
      for (int e = 0; e < b.episodeCount(); e++) {
        if (e % 2 != fitPar) continue;
        EpisodeRange r = b.episodeRange(e);
        for (int t = r.start() + 1; t + T < r.end() && t + 1 < r.end(); t++) {
          for (int ax = 0; ax < 2; ax++) {
            double d0 = act[2*t+ax] - act[2*(t-1)+ax];
            double dm = t - 2 >= r.start() ? act[2*(t-1)+ax] - act[2*(t-2)+ax] : 0;
            double g = act[2*(t+T)+ax] - act[2*t+ax];
            double y = act[2*(t+1)+ax] - act[2*t+ax];
            double[] x = {d0, dm, g};
            for (int i=0;i<3;i++){ xty[i]+=x[i]*y; for(int j=0;j<3;j++) xtx[i][j]+=x[i]*x[j]; }
            rows.add(new double[]{d0,dm,g,y,ax});
          }
        }
      }
      double[] c = solve(xtx, xty);
      for (int i = 0; i + 1 < rows.size(); i += 2) {
        double[] rx = rows.get(i), ry = rows.get(i+1);
        resid.add(new double[]{rx[3] - (c[0]*rx[0]+c[1]*rx[1]+c[2]*rx[2]), ry[3] - (c[0]*ry[0]+c[1]*ry[1]+c[2]*ry[2])});
      }
      System.out.printf("T=%d coef %.3f %.3f %.3f, %d residuals%n", T, c[0], c[1], c[2], resid.size());

      List<PusherTrace> human = new ArrayList<>();
      for (PusherTrace t : TuringTest.humanTraces(z, 0)) if (t.seed() % 2 == fitPar) human.add(t);
      MotionFeatures mf = MotionFeatures.pushT();
      PushTEnv env = PushTEnv.reference(), look = PushTEnv.reference();
      PushExpert ex = PushExpert.of(env), exl = PushExpert.of(look);
      SplittableRandom rng = new SplittableRandom(0);
      int n = human.size(); double[][] x = new double[2*n][]; boolean[] rob = new boolean[2*n]; long[] gr = new long[2*n]; int succ = 0;
      double[] o = new double[2];
      for (int i = 0; i < n; i++) {
        PusherTrace ht = human.get(i);
        env.reset(ht.seed()); ex.reset();
        double px = env.agentX(), py = env.agentY(), dx0=0, dy0=0, dx1=0, dy1=0;
        List<double[]> st = new ArrayList<>();
        while (st.size() < ht.length() && !env.terminated()) {
          double[] s = env.state(); st.add(s);
          // intent: where the expert would have the agent T steps from now
          look.setState(s[0], s[1], s[2], s[3], s[4]); exl.reset();
          for (int j = 0; j < T && !look.terminated(); j++) { exl.act(look, o); look.step(o[0], o[1]); }
          double gx = look.agentX() - px, gy = look.agentY() - py;
          double[] res = noise > 0 ? resid.get(rng.nextInt(resid.size())) : new double[2];
          double nx = c[0]*dx0 + c[1]*dx1 + c[2]*gx + noise*res[0];
          double ny = c[0]*dy0 + c[1]*dy1 + c[2]*gy + noise*res[1];
          dx1 = dx0; dy1 = dy0; dx0 = nx; dy0 = ny; px += nx; py += ny;
          env.step(px, py);
        }
        if (env.terminated()) succ++;
        if (st.isEmpty()) st.add(env.state());
        double[][] cc = new double[5][st.size()];
        for (int t = 0; t < st.size(); t++) for (int q = 0; q < 5; q++) cc[q][t] = st.get(t)[q];
        x[2*i] = mf.of(ht); x[2*i+1] = mf.of(new PusherTrace("robot", ht.seed(), cc[0],cc[1],cc[2],cc[3],cc[4])); rob[2*i+1]=true; gr[2*i]=gr[2*i+1]=ht.seed();
      }
      TuringJudge.Verdict v = TuringJudge.judge(x, rob, gr, MotionFeatures.NAMES, 5, 0);
      StringBuilder sb = new StringBuilder();
      for (var f : v.features().subList(0,6)) sb.append(String.format(" %s %.2f(%.3g/%.3g)", f.name(), f.auc(), f.humanMean(), f.robotMean()));
      System.out.printf("%-10s auc %.3f succ %d/%d |%s%n", a[k], v.rocAuc(), succ, n, sb);
    }
  }
  static double[] solve(double[][] A, double[] y) {
    int n = y.length; double[][] m = new double[n][n+1];
    for (int i=0;i<n;i++){ System.arraycopy(A[i],0,m[i],0,n); m[i][n]=y[i]; }
    for (int c=0;c<n;c++){ int p=c; for(int r=c+1;r<n;r++) if(Math.abs(m[r][c])>Math.abs(m[p][c])) p=r; double[] t=m[c];m[c]=m[p];m[p]=t;
      for(int r=0;r<n;r++) if(r!=c){ double f=m[r][c]/m[c][c]; for(int k=c;k<=n;k++) m[r][k]-=f*m[c][k]; } }
    double[] x = new double[n]; for (int i=0;i<n;i++) x[i]=m[i][n]/m[i][i]; return x;
  }
}
