// Injection tokens for values that are not classes.
/** The service's validated config; also provided under the service's own config class. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** The prom-client Registry that every library adds its metrics to. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
