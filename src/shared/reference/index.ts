// Reference data (geography, units, categories, routing, SLA; see the reference set in
// docs/architecture.md and dispatch in docs/lifecycle.md): schemas and pure logic.
// Loading the files is the server's job; everything here is shared by server and workstation.
export * from './common';
export * from './geography';
export * from './address';
export * from './units';
export * from './categories';
export * from './routing';
export * from './sla';
export * from './bundle';
