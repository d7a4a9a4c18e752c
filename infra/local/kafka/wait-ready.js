#!/usr/bin/env node
// One readiness probe against the local Kafka broker (start.sh calls it in a loop).
//
//   node wait-ready.js [host:port]      (default: 127.0.0.1:${KAFKA_PORT:-9092})
//
// Connects a kafkajs admin client, creates the topic `__crm_ready_probe`
// (1 partition, RF 1; "already exists" counts as success) and waits for its
// leader. Exit codes: 0 ready, 1 not ready yet, 3 kafkajs not installed.
// Set WAIT_READY_VERBOSE=1 to print the failure reason.
'use strict';

let kafkajs;
try {
  // Resolved from the repo's node_modules (walks up from infra/local/kafka).
  kafkajs = require('kafkajs');
} catch (err) {
  console.error('wait-ready: cannot load kafkajs (run `npm install` in the repo root): ' + err.message);
  process.exit(3);
}

const { Kafka, logLevel } = kafkajs;
const broker = process.argv[2] || `127.0.0.1:${process.env.KAFKA_PORT || '9092'}`;
const PROBE_TOPIC = '__crm_ready_probe';

async function main() {
  const kafka = new Kafka({
    clientId: 'crm-local-kafka-wait-ready',
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 10000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  const hardTimeout = setTimeout(() => {
    if (process.env.WAIT_READY_VERBOSE) console.error('wait-ready: probe timed out');
    process.exit(1);
  }, 15000);
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      timeout: 10000,
      topics: [{ topic: PROBE_TOPIC, numPartitions: 1, replicationFactor: 1 }],
    });
    // createTopics returns false when the topic already exists; make sure it
    // is really there with a leader either way.
    const md = await admin.fetchTopicMetadata({ topics: [PROBE_TOPIC] });
    const p = md.topics[0] && md.topics[0].partitions[0];
    if (!p || p.leader < 0) throw new Error('probe topic has no leader yet');
  } finally {
    clearTimeout(hardTimeout);
    await admin.disconnect().catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    if (process.env.WAIT_READY_VERBOSE) console.error('wait-ready: ' + (err && err.message));
    process.exit(1);
  },
);
