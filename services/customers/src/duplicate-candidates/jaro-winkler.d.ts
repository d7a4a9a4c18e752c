// natural's Jaro–Winkler module on its own: `require('natural')` would load mongoose, redis and pg clients.
declare module 'natural/lib/natural/distance/jaro-winkler_distance' {
  function JaroWinklerDistance(s1: string, s2: string, options?: { dj?: number; ignoreCase?: boolean }): number;
  export = JaroWinklerDistance;
}
