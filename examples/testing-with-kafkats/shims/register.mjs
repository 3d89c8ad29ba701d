// node --import tsx --import ./shims/register.mjs --test ...: installs hooks.mjs for this process.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
