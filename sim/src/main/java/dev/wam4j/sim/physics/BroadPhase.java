package dev.wam4j.sim.physics;

/**
 * Broad phase: two dynamic AABB trees (static shapes, moving shapes) with cached overlapping pairs.
 *
 * <p>Which pairs are tested, in which order, and which cached GJK start each test gets decide the
 * order of the solver's contacts, and the sequential-impulse solver is order dependent. So this
 * follows Chipmunk's bounding-volume tree exactly: leaves keep "fat" boxes grown by 10% and by the
 * body's velocity; a leaf is re-inserted (surface-area heuristic) only when its shape's box leaves
 * the fat box; re-inserted leaves query both trees, others replay their cached pairs.
 *
 * <p>Nodes and pairs live in flat arrays with free lists; nothing is allocated after construction.
 */
final class BroadPhase {
  private static final int NONE = -1;

  /** The float literal 0.1f of the reference, widened to double. */
  private static final double FAT_COEF = 0.1f;

  private final World world;
  private final Shapes shapes;
  private final Bodies bodies;

  // Nodes (leaves have obj >= 0, internal nodes obj == NONE).
  private final int[] obj;
  private final int[] parent;
  private final int[] childA;
  private final int[] childB;
  private final int[] pairsHead;
  private final long[] stamp;
  private final double[] l;
  private final double[] b;
  private final double[] r;
  private final double[] t;
  private int freeNode = NONE;
  private int nodesUsed;

  // Pairs: two threads (a side, b side), each a doubly linked list through a leaf's pairs.
  private final int[] aPrev;
  private final int[] aLeaf;
  private final int[] aNext;
  private final int[] bPrev;
  private final int[] bLeaf;
  private final int[] bNext;
  private final int[] pairId;
  private int freePair = NONE;
  private int pairsUsed;

  private int staticRoot = NONE;
  private int dynamicRoot = NONE;

  /** The moving tree's time stamp, which the static tree shares. */
  private long masterStamp;

  /** Leaf node of each shape. */
  private final int[] leafOfShape;

  // The moving tree's leaf set, iterated in the reference's hash-set order (bins by hash mod a
  // prime).
  private static final int[] PRIMES = {5, 13, 23, 47, 97, 193, 389, 769, 1543, 3079, 6151};
  private int setSize = PRIMES[0];
  private int setEntries;
  private int[] setTable;
  private int[] spareTable; // the other table of a resize; swapped, never reallocated
  private final int[] setNext;
  private final long[] setHash;
  private final int[] setLeaf;
  private final int[] dynamicOrder;

  /** {@code world} receives the overlapping pairs; the boxes are those of {@code shapes}. */
  BroadPhase(World world, Shapes shapes, Bodies bodies) {
    this.world = world;
    this.shapes = shapes;
    this.bodies = bodies;
    int maxShapes = shapes.capacity();
    int nodes = 4 * maxShapes + 4;
    obj = new int[nodes];
    parent = new int[nodes];
    childA = new int[nodes];
    childB = new int[nodes];
    pairsHead = new int[nodes];
    stamp = new long[nodes];
    l = new double[nodes];
    b = new double[nodes];
    r = new double[nodes];
    t = new double[nodes];
    int pairs = maxShapes * maxShapes + 4;
    aPrev = new int[pairs];
    aLeaf = new int[pairs];
    aNext = new int[pairs];
    bPrev = new int[pairs];
    bLeaf = new int[pairs];
    bNext = new int[pairs];
    pairId = new int[pairs];
    leafOfShape = new int[maxShapes];
    // The set grows through the prime sizes while entries >= size; size tables for the largest
    // needed.
    int capacity = PRIMES[0];
    while (capacity <= maxShapes) capacity = nextPrime(capacity + 1);
    setTable = new int[capacity];
    spareTable = new int[capacity];
    setNext = new int[maxShapes];
    setHash = new long[maxShapes];
    setLeaf = new int[maxShapes];
    dynamicOrder = new int[maxShapes];
    clear();
  }

  void clear() {
    freeNode = NONE;
    nodesUsed = 0;
    freePair = NONE;
    pairsUsed = 0;
    staticRoot = NONE;
    dynamicRoot = NONE;
    masterStamp = 0;
    setSize = PRIMES[0];
    setEntries = 0;
    java.util.Arrays.fill(setTable, NONE);
  }

  // ---------------------------------------------------------------------------------------------
  // Insertion (world construction)

  void insertStatic(int shape) {
    int leaf = newLeaf(shape, false);
    staticRoot = subtreeInsert(staticRoot, leaf);
    stamp[leaf] = masterStamp;
    if (dynamicRoot != NONE) markLeafQuery(dynamicRoot, leaf, true, false);
    masterStamp++;
  }

  void insertDynamic(int shape, long hashId) {
    setInsert(shape, hashId);
    int leaf = newLeaf(shape, true);
    setLeaf[setEntries - 1] = leaf;
    rebuildOrder();
    dynamicRoot = subtreeInsert(dynamicRoot, leaf);
    stamp[leaf] = masterStamp;
    markLeaf(leaf, false);
    masterStamp++;
  }

  /**
   * Refits moved leaves and reports every overlapping (moving, any) pair to {@link
   * World#collide(int, int, int)}, in the reference's order.
   */
  void reindexQuery() {
    if (dynamicRoot == NONE) return;
    for (int i = 0; i < setEntries; i++) leafUpdate(dynamicOrder[i]);
    markSubtree(dynamicRoot);
    masterStamp++;
  }

  // ---------------------------------------------------------------------------------------------
  // Leaves

  private int newLeaf(int shape, boolean moving) {
    int node = nodeFromPool();
    obj[node] = shape;
    setFatBox(node, shape, moving);
    parent[node] = NONE;
    stamp[node] = 0;
    pairsHead[node] = NONE;
    leafOfShape[shape] = node;
    return node;
  }

  private void setFatBox(int node, int shape, boolean moving) {
    double sl = shapes.bbL[shape],
        sb = shapes.bbB[shape],
        sr = shapes.bbR[shape],
        st = shapes.bbT[shape];
    if (!moving) {
      l[node] = sl;
      b[node] = sb;
      r[node] = sr;
      t[node] = st;
      return;
    }
    double x = (sr - sl) * FAT_COEF;
    double y = (st - sb) * FAT_COEF;
    int body = shapes.body[shape];
    double vx = bodies.vx[body] * FAT_COEF;
    double vy = bodies.vy[body] * FAT_COEF;
    l[node] = sl + min(-x, vx);
    b[node] = sb + min(-y, vy);
    r[node] = sr + max(x, vx);
    t[node] = st + max(y, vy);
  }

  private void leafUpdate(int leaf) {
    int shape = obj[leaf];
    if (l[leaf] <= shapes.bbL[shape]
        && r[leaf] >= shapes.bbR[shape]
        && b[leaf] <= shapes.bbB[shape]
        && t[leaf] >= shapes.bbT[shape]) {
      return;
    }
    setFatBox(leaf, shape, true);
    int root = subtreeRemove(dynamicRoot, leaf);
    dynamicRoot = subtreeInsert(root, leaf);
    pairsClear(leaf);
    stamp[leaf] = masterStamp;
  }

  // ---------------------------------------------------------------------------------------------
  // Tree structure

  private int nodeFromPool() {
    if (freeNode != NONE) {
      int node = freeNode;
      freeNode = parent[node];
      return node;
    }
    if (nodesUsed == obj.length) throw new IllegalStateException("broad phase node pool exhausted");
    return nodesUsed++;
  }

  private void nodeRecycle(int node) {
    parent[node] = freeNode;
    freeNode = node;
  }

  private boolean isLeaf(int node) {
    return obj[node] != NONE;
  }

  private void setA(int node, int value) {
    childA[node] = value;
    parent[value] = node;
  }

  private void setB(int node, int value) {
    childB[node] = value;
    parent[value] = node;
  }

  private int nodeNew(int a, int bNode) {
    int node = nodeFromPool();
    obj[node] = NONE;
    l[node] = min(l[a], l[bNode]);
    b[node] = min(b[a], b[bNode]);
    r[node] = max(r[a], r[bNode]);
    t[node] = max(t[a], t[bNode]);
    parent[node] = NONE;
    setA(node, a);
    setB(node, bNode);
    return node;
  }

  private int other(int node, int child) {
    return childA[node] == child ? childB[node] : childA[node];
  }

  private void replaceChild(int par, int child, int value) {
    if (childA[par] == child) {
      nodeRecycle(childA[par]);
      setA(par, value);
    } else {
      nodeRecycle(childB[par]);
      setB(par, value);
    }
    for (int node = par; node != NONE; node = parent[node]) {
      int a = childA[node], c = childB[node];
      l[node] = min(l[a], l[c]);
      b[node] = min(b[a], b[c]);
      r[node] = max(r[a], r[c]);
      t[node] = max(t[a], t[c]);
    }
  }

  private double area(int n) {
    return (r[n] - l[n]) * (t[n] - b[n]);
  }

  private double mergedArea(int n, int m) {
    return (max(r[n], r[m]) - min(l[n], l[m])) * (max(t[n], t[m]) - min(b[n], b[m]));
  }

  private double proximity(int n, int m) {
    return abs(l[n] + r[n] - l[m] - r[m]) + abs(b[n] + t[n] - b[m] - t[m]);
  }

  private int subtreeInsert(int subtree, int leaf) {
    if (subtree == NONE) return leaf;
    if (isLeaf(subtree)) return nodeNew(leaf, subtree);
    int a = childA[subtree], c = childB[subtree];
    double costA = area(c) + mergedArea(a, leaf);
    double costB = area(a) + mergedArea(c, leaf);
    if (costA == costB) {
      costA = proximity(a, leaf);
      costB = proximity(c, leaf);
    }
    if (costB < costA) {
      setB(subtree, subtreeInsert(c, leaf));
    } else {
      setA(subtree, subtreeInsert(a, leaf));
    }
    l[subtree] = min(l[subtree], l[leaf]);
    b[subtree] = min(b[subtree], b[leaf]);
    r[subtree] = max(r[subtree], r[leaf]);
    t[subtree] = max(t[subtree], t[leaf]);
    return subtree;
  }

  private int subtreeRemove(int subtree, int leaf) {
    if (leaf == subtree) return NONE;
    int par = parent[leaf];
    if (par == subtree) {
      int o = other(subtree, leaf);
      parent[o] = parent[subtree];
      nodeRecycle(subtree);
      return o;
    }
    replaceChild(parent[par], par, other(par, leaf));
    return subtree;
  }

  // ---------------------------------------------------------------------------------------------
  // Pairs

  private int pairFromPool() {
    if (freePair != NONE) {
      int p = freePair;
      freePair = aNext[p];
      return p;
    }
    if (pairsUsed == aPrev.length)
      throw new IllegalStateException("broad phase pair pool exhausted");
    return pairsUsed++;
  }

  private void pairRecycle(int p) {
    aNext[p] = freePair;
    freePair = p;
  }

  private void pairInsert(int a, int c) {
    int nextA = pairsHead[a], nextB = pairsHead[c];
    int p = pairFromPool();
    pairsHead[a] = p;
    pairsHead[c] = p;
    aPrev[p] = NONE;
    aLeaf[p] = a;
    aNext[p] = nextA;
    bPrev[p] = NONE;
    bLeaf[p] = c;
    bNext[p] = nextB;
    pairId[p] = 0;
    if (nextA != NONE) {
      if (aLeaf[nextA] == a) aPrev[nextA] = p;
      else bPrev[nextA] = p;
    }
    if (nextB != NONE) {
      if (aLeaf[nextB] == c) aPrev[nextB] = p;
      else bPrev[nextB] = p;
    }
  }

  /** Unlinks one thread (prev, leaf, next) of a pair from its leaf's list. */
  private void threadUnlink(int prev, int leaf, int next) {
    if (next != NONE) {
      if (aLeaf[next] == leaf) aPrev[next] = prev;
      else bPrev[next] = prev;
    }
    if (prev != NONE) {
      if (aLeaf[prev] == leaf) aNext[prev] = next;
      else bNext[prev] = next;
    } else {
      pairsHead[leaf] = next;
    }
  }

  private void pairsClear(int leaf) {
    int p = pairsHead[leaf];
    pairsHead[leaf] = NONE;
    while (p != NONE) {
      int next;
      if (aLeaf[p] == leaf) {
        next = aNext[p];
        threadUnlink(bPrev[p], bLeaf[p], bNext[p]);
      } else {
        next = bNext[p];
        threadUnlink(aPrev[p], aLeaf[p], aNext[p]);
      }
      pairRecycle(p);
      p = next;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Marking (pair discovery and collision callbacks)

  private boolean overlaps(int n, int m) {
    return l[n] <= r[m] && l[m] <= r[n] && b[n] <= t[m] && b[m] <= t[n];
  }

  private void markLeafQuery(int subtree, int leaf, boolean left, boolean collide) {
    if (!overlaps(leaf, subtree)) return;
    if (isLeaf(subtree)) {
      if (left) {
        pairInsert(leaf, subtree);
      } else {
        if (stamp[subtree] < stamp[leaf]) pairInsert(subtree, leaf);
        if (collide) world.collide(obj[leaf], obj[subtree], 0);
      }
    } else {
      markLeafQuery(childA[subtree], leaf, left, collide);
      markLeafQuery(childB[subtree], leaf, left, collide);
    }
  }

  private void markLeaf(int leaf, boolean collide) {
    if (stamp[leaf] == masterStamp) {
      if (staticRoot != NONE) markLeafQuery(staticRoot, leaf, false, collide);
      for (int node = leaf; parent[node] != NONE; node = parent[node]) {
        int par = parent[node];
        if (node == childA[par]) {
          markLeafQuery(childB[par], leaf, true, collide);
        } else {
          markLeafQuery(childA[par], leaf, false, collide);
        }
      }
    } else {
      int p = pairsHead[leaf];
      while (p != NONE) {
        if (leaf == bLeaf[p]) {
          if (collide) pairId[p] = world.collide(obj[aLeaf[p]], obj[leaf], pairId[p]);
          p = bNext[p];
        } else {
          p = aNext[p];
        }
      }
    }
  }

  private void markSubtree(int subtree) {
    if (isLeaf(subtree)) {
      markLeaf(subtree, true);
    } else {
      markSubtree(childA[subtree]);
      markSubtree(childB[subtree]);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The moving tree's leaf set order

  private void setInsert(int shape, long hash) {
    int e = setEntries++;
    setHash[e] = hash;
    int idx = (int) Long.remainderUnsigned(hash, setSize);
    setNext[e] = setTable[idx];
    setTable[idx] = e;
    if (setEntries >= setSize) setResize();
  }

  private void setResize() {
    int newSize = nextPrime(setSize + 1);
    int[] newTable = spareTable;
    java.util.Arrays.fill(newTable, NONE);
    for (int i = 0; i < setSize; i++) {
      int e = setTable[i];
      while (e != NONE) {
        int next = setNext[e];
        int idx = (int) Long.remainderUnsigned(setHash[e], newSize);
        setNext[e] = newTable[idx];
        newTable[idx] = e;
        e = next;
      }
    }
    spareTable = setTable;
    setTable = newTable;
    setSize = newSize;
  }

  private static int nextPrime(int n) {
    for (int p : PRIMES) if (p >= n) return p;
    throw new IllegalStateException("too many moving shapes");
  }

  private void rebuildOrder() {
    int k = 0;
    for (int i = 0; i < setSize; i++) {
      for (int e = setTable[i]; e != NONE; e = setNext[e]) dynamicOrder[k++] = setLeaf[e];
    }
  }

  // C semantics of fmin/fmax/fabs as the reference defines them (NaN and signed zero included).
  static double min(double a, double c) {
    return a < c ? a : c;
  }

  static double max(double a, double c) {
    return a > c ? a : c;
  }

  static double abs(double f) {
    return f < 0 ? -f : f;
  }
}
