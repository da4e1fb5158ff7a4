// A Docker registry token service for the tests: signs RS256 JWTs with a self-signed
// certificate the registry trusts (x5c header). Run as its own process, because the tests
// push with skopeo synchronously. Usage: node token-service.js KEY CERT USER:PASSWORD; prints
// its port. Repositories under "private/" are granted only to USER:PASSWORD (Basic auth),
// as a private repository on Docker Hub or GHCR is: a wrong password is refused (401), and a
// request without credentials gets a token that grants nothing.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');

const [keyFile, certFile, account] = process.argv.slice(2);
const key = fs.readFileSync(keyFile);
const der = fs.readFileSync(certFile, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
const encode = o => Buffer.from(JSON.stringify(o)).toString('base64url');

const server = http.createServer((req, res) => {
  const url = new URL(req.url || '/', 'http://token');
  const [type, name, actions] = (url.searchParams.get('scope') || '').split(':');
  const auth = req.headers.authorization;
  const user = auth && auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : undefined;
  if (user !== undefined && user !== account) {
    res.statusCode = 401;
    res.end(JSON.stringify({ details: 'incorrect username or password' }));
    return;
  }
  const granted = type && (!name.startsWith('private/') || user === account);
  const now = Math.floor(Date.now() / 1000);
  const input = `${encode({ alg: 'RS256', typ: 'JWT', x5c: [der] })}.${encode({
    iss: 'cdk8s-secure-test', sub: '', aud: url.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now,
    jti: crypto.randomUUID(), access: granted ? [{ type, name, actions: actions.split(',') }] : [],
  })}`;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ token: `${input}.${crypto.sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}` }));
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
