import dev.wam4j.eval.turing.*;
import dev.wam4j.sim.expert.PushExpert;
import dev.wam4j.sim.pusht.PushTEnv;
import java.nio.file.Path;
import java.util.*;

public class Hand {
  interface H { void reset(double x, double y); void follow(double tx, double ty, double[] out); }

  // min-jerk submovements of duration D steps, re-planned every R steps (R<=D: overlap)
  static final class Sub implements H {
    final int d, r; final double reach; double x0,y0,x1,y1,px,py; int t;
    Sub(int d, int r, double reach){this.d=d;this.r=r;this.reach=reach;}
    public void reset(double x,double y){px=x;py=y;x0=x;y0=y;x1=x;y1=y;t=1<<20;}
    public void follow(double tx,double ty,double[] out){
      if (t>=r){ x0=px;y0=py; double dx=tx-px,dy=ty-py,m=Math.hypot(dx,dy); double f=m>reach?reach/m:1; x1=px+f*dx;y1=py+f*dy; t=0;}
      t++; double s=Math.min(1,(double)t/d); double b=s*s*s*(10-15*s+6*s*s);
      px=x0+(x1-x0)*b; py=y0+(y1-y0)*b; out[0]=px; out[1]=py;
    }
  }
  static final class Spring implements H {
    final double tau, vmax; double x,y,vx,vy;
    Spring(double tau,double vmax){this.tau=tau;this.vmax=vmax;}
    public void reset(double x,double y){this.x=x;this.y=y;vx=vy=0;}
    public void follow(double tx,double ty,double[] out){
      if (tau==0){x=tx;y=ty;} else { double w=1/tau,k=w*w,c=2*w,dt=0.1/20; for(int i=0;i<20;i++){vx+=(k*(tx-x)-c*vx)*dt;vy+=(k*(ty-y)-c*vy)*dt;double v=Math.hypot(vx,vy);if(v>vmax){vx*=vmax/v;vy*=vmax/v;}x+=vx*dt;y+=vy*dt;}}
      out[0]=x;out[1]=y;
    }
  }

  static void set(Object o, String f, double v) throws Exception {
    var fl = o.getClass().getDeclaredField(f); fl.setAccessible(true);
    if (fl.getType()==int.class) fl.setInt(o,(int)v); else fl.setDouble(o, v);
  }
  public static void main(String[] a) throws Exception {
    List<PusherTrace> all = TuringTest.humanTraces(Path.of(System.getenv().getOrDefault("WAM4J_DATA", "../shared/data"), "pusht_cchi_v7_replay.zarr"), 0);
    int par = Integer.parseInt(a[0]);
    List<PusherTrace> human = new ArrayList<>();
    for (PusherTrace t : all) if (t.seed() % 2 == par) human.add(t);
    MotionFeatures mf = MotionFeatures.pushT();
    PushTEnv env = PushTEnv.reference();
    PushExpert ex = PushExpert.of(env);
    for (int k = 1; k < a.length; k++) {
      String[] p = a[k].split(":");
      ex = PushExpert.of(env);
      if (p.length > 3 && p[0].equals("spring")) {
        set(ex, "maxStride", Double.parseDouble(p[3])); set(ex, "pushGain", Double.parseDouble(p[4])); set(ex, "maxPush", Double.parseDouble(p[5]));
      }
      H h = p[0].equals("sub") ? new Sub(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Double.parseDouble(p[3])) : new Spring(Double.parseDouble(p[1]), Double.parseDouble(p[2]));
      int n = human.size(); double[][] x = new double[2*n][]; boolean[] r = new boolean[2*n]; long[] g = new long[2*n]; int succ=0;
      for (int i = 0; i < n; i++) {
        PusherTrace ht = human.get(i);
        env.reset(ht.seed()); ex.reset(); h.reset(env.agentX(), env.agentY());
        List<double[]> st = new ArrayList<>(); double[] act = new double[2], o = new double[2];
        while (st.size() < ht.length() && !env.terminated()) { st.add(env.state()); ex.act(env, act); h.follow(act[0], act[1], o); env.step(o[0], o[1]); }
        if (env.terminated()) succ++;
        if (st.isEmpty()) st.add(env.state());
        double[][] c = new double[5][st.size()];
        for (int t = 0; t < st.size(); t++) for (int q = 0; q < 5; q++) c[q][t] = st.get(t)[q];
        x[2*i] = mf.of(ht); x[2*i+1] = mf.of(new PusherTrace("robot", ht.seed(), c[0],c[1],c[2],c[3],c[4])); r[2*i+1]=true; g[2*i]=g[2*i+1]=ht.seed();
      }
      TuringJudge.Verdict v = TuringJudge.judge(x, r, g, MotionFeatures.NAMES, 5, 0);
      StringBuilder sb = new StringBuilder();
      for (var f : v.features().subList(0,5)) sb.append(String.format(" %s %.2f(%.3g/%.3g)", f.name(), f.auc(), f.humanMean(), f.robotMean()));
      System.out.printf("%-22s auc %.3f succ %d/%d |%s%n", a[k], v.rocAuc(), succ, n, sb);
    }
  }
}
