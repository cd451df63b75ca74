export { Emulator, type EmulatorOptions, startEmulator } from './emulator.js';
export { ChannelHandle, GuildHandle, InteractionFailed, Member, type OptionValue } from './members.js';
export type { PermissionName } from './permissions.js';
export type { Violation } from './routes/context.js';
export { type ButtonView, MessageView, ModalView } from './views.js';
